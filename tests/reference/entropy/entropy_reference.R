# Reference values for Compendium.Index.EntropyIndex (tests/Compendium.Tests/Index/EntropyIndexTests.cs).
# Run from this folder: Rscript entropy_reference.R   (R 4.2; base R only)
# Writes entropy_example.csv (input) and entropy_weights.csv, entropy_index.csv (expected output).
# The method: z = (x - min)/(max - min) for positive, (max - x)/(max - min) for negative indicators;
# p = (z + s)/sum(z + s); e = -sum(p log p)/log(n); w = (1 - e)/sum(1 - e); index = sum_j w_j z_j;
# sub-index of a dimension = sum over its indicators of w_j z_j / sum of their w_j.
set.seed(20260101)
n_per_year <- 15
years <- c(2020, 2021)
d <- data.frame(year = rep(years, each = n_per_year))
n <- nrow(d)
d$a <- round(exp(rnorm(n, 10, 0.4)), 2)          # positive, skewed (like GDP per capita)
d$b <- round(runif(n, 0.05, 1.2), 4)             # negative (like trade dependence)
d$c <- round(rnorm(n, 50, 8), 3)                 # positive
d$e <- round(rexp(n, 0.2), 3)                    # positive, very skewed (like patents)
write.csv(d, "entropy_example.csv", row.names = FALSE, quote = FALSE)

ind <- data.frame(name = c("a", "b", "c", "e"), dimension = c("Resistance", "Resistance", "Adaptability", "Innovation"),
                  positive = c(TRUE, FALSE, TRUE, TRUE))

fit <- function(x, s) {
  z <- sapply(seq_len(nrow(ind)), function(j) {
    v <- x[[ind$name[j]]]; r <- max(v) - min(v)
    if (ind$positive[j]) (v - min(v)) / r else (max(v) - v) / r
  })
  p <- sweep(z + s, 2, colSums(z + s), "/")
  plogp <- ifelse(p > 0, p * log(p), 0)
  e <- -colSums(plogp) / log(nrow(x))
  w <- (1 - e) / sum(1 - e)
  idx <- as.vector(z %*% w)
  sub <- sapply(unique(ind$dimension), function(dm) { k <- ind$dimension == dm; as.vector(z[, k, drop = FALSE] %*% w[k]) / sum(w[k]) })
  list(e = e, w = w, index = idx, sub = sub)
}

rows <- list(); idx <- list()
for (s in c(1e-4, 0)) {
  f <- fit(d, s)
  rows[[length(rows) + 1]] <- data.frame(group = "pooled", shift = s, indicator = ind$name, entropy = f$e, weight = f$w)
  idx[[length(idx) + 1]] <- data.frame(group = "pooled", shift = s, row = seq_len(n), index = f$index,
                                       resistance = f$sub[, "Resistance"], adaptability = f$sub[, "Adaptability"], innovation = f$sub[, "Innovation"])
}
per_year_index <- numeric(n); per_year_sub <- matrix(0, n, 3)
for (y in years) {
  k <- d$year == y
  f <- fit(d[k, ], 1e-4)
  rows[[length(rows) + 1]] <- data.frame(group = as.character(y), shift = 1e-4, indicator = ind$name, entropy = f$e, weight = f$w)
  per_year_index[k] <- f$index; per_year_sub[k, ] <- f$sub[, c("Resistance", "Adaptability", "Innovation")]
}
idx[[length(idx) + 1]] <- data.frame(group = "per_year", shift = 1e-4, row = seq_len(n), index = per_year_index,
                                     resistance = per_year_sub[, 1], adaptability = per_year_sub[, 2], innovation = per_year_sub[, 3])
full <- function(df, cols) { for (c in cols) df[[c]] <- sprintf("%.17g", df[[c]]); df }
write.csv(full(do.call(rbind, rows), c("entropy", "weight")), "entropy_weights.csv", row.names = FALSE, quote = FALSE)
write.csv(full(do.call(rbind, idx), c("index", "resistance", "adaptability", "innovation")), "entropy_index.csv", row.names = FALSE, quote = FALSE)
