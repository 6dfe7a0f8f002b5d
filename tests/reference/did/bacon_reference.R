# Reference values for the Goodman-Bacon (2021) decomposition
# (Compendium.Econometrics.Staggered.BaconDecomposition), by formula in base R.
#
# Run from the repository root:
#   Rscript tests/reference/did/bacon_reference.R
# Reads tests/reference/did/castle.csv, mpdta.csv and data/synthetic/panel.csv; writes
# tests/reference/did/bacon_reference.csv (case, quantity, term, value; 17 significant digits).
#
# The R package bacondecomp is not installable here; its algorithm (0.1.1, no covariates) is written
# out below, following Goodman-Bacon (2021, J. Econometrics 225(2), eq. 10a-10g):
#  * timing groups = first period with d = 1 (99999 = never treated); a group treated in the first
#    period is "always treated" and only ever serves as a comparison;
#  * for every ordered pair (treated group k, comparison group l), k not never/always treated:
#      l never treated     : "Treated vs Untreated",   all periods;
#      l always treated    : "Later vs Always Treated", all periods;
#      k < l (earlier)     : "Earlier vs Later Treated", periods t < l;
#      k > l (later)       : "Later vs Earlier Treated", periods t >= l;
#    estimate = coefficient of d in OLS of y on d + period + unit dummies on that subsample (2x2 DiD);
#    weight (subsample observation counts n, treated shares D within the window):
#      vs untreated/always : (n_k + n_l)^2 n_kl (1 - n_kl) D_k (1 - D_k)   [always: D_l/D_k (D_k - D_l)/D_k, D_k = 1]
#      earlier vs later    : ((n_k + n_l)(1 - D_l))^2 n_kl (1 - n_kl) (D_k - D_l)/(1 - D_l) (1 - D_k)/(1 - D_l)
#      later vs earlier    : ((n_k + n_l) D_e)^2 n_el (1 - n_el) (D_l/D_e) (D_e - D_l)/D_e  (e = the earlier group)
#    with n_kl = n_k/(n_k + n_l); weights scaled to sum to one.
#  * by type: total weight and weight-averaged estimate. In a balanced panel the weighted sum of the
#    2x2 estimates equals the TWFE coefficient of y ~ d | unit + period (checked below).
out_dir <- "tests/reference/did"
fmt <- function(x) sprintf("%.17g", x)
rows <- list()
add <- function(case, quantity, term, value)
  rows[[length(rows) + 1]] <<- data.frame(case = case, quantity = quantity, term = as.character(term), value = fmt(value))

bacon <- function(case, d, y, dvar, id, time) {
  d <- data.frame(id = d[[id]], time = d[[time]], y = d[[y]], d = d[[dvar]])
  first <- tapply(ifelse(d$d == 1, d$time, Inf), d$id, min)
  d$g <- ifelse(is.finite(first[as.character(d$id)]), first[as.character(d$id)], 99999)
  t0 <- min(d$time)
  twfe <- coef(lm(y ~ d + factor(time) + factor(id), d))[["d"]]
  groups <- sort(unique(d$g))
  res <- data.frame()
  for (k in groups[groups != 99999 & groups != t0]) for (l in groups[groups != k]) {
    s <- d[d$g %in% c(k, l), ]
    if (l == 99999) type <- "Treated vs Untreated"
    else if (l == t0) type <- "Later vs Always Treated"
    else if (k < l) { type <- "Earlier vs Later Treated"; s <- s[s$time < l, ] }
    else { type <- "Later vs Earlier Treated"; s <- s[s$time >= l, ] }
    est <- coef(lm(y ~ d + factor(time) + factor(id), s))[["d"]]
    nk <- sum(s$g == k); nl <- sum(s$g == l); nkl <- nk / (nk + nl)
    Dk <- mean(s$d[s$g == k]); Dl <- mean(s$d[s$g == l])
    w <- switch(type,
      "Treated vs Untreated" = (nk + nl)^2 * nkl * (1 - nkl) * Dk * (1 - Dk),
      "Earlier vs Later Treated" = ((nk + nl) * (1 - Dl))^2 * nkl * (1 - nkl) * (Dk - Dl) / (1 - Dl) * (1 - Dk) / (1 - Dl),
      {  # later vs earlier / always: the comparison group l is the earlier one
        ne <- nl / (nk + nl)
        ((nk + nl) * Dl)^2 * ne * (1 - ne) * (Dk / Dl) * (Dl - Dk) / Dl
      })
    res <- rbind(res, data.frame(treated = k, untreated = l, type = type, estimate = est, weight = w))
  }
  res$weight <- res$weight / sum(res$weight)
  stopifnot(abs(sum(res$weight * res$estimate) - twfe) < 1e-12)
  add(case, "twfe", "estimate", twfe)
  for (i in seq_len(nrow(res))) {
    key <- paste0(res$treated[i], ":", res$untreated[i])
    add(case, "component_estimate", key, res$estimate[i]); add(case, "component_weight", key, res$weight[i])
  }
  for (ty in unique(res$type)) {
    r <- res[res$type == ty, ]
    add(case, "type_weight", ty, sum(r$weight))
    add(case, "type_estimate", ty, sum(r$weight * r$estimate) / sum(r$weight))
  }
  invisible(res)
}

castle <- read.csv(file.path(out_dir, "castle.csv"))
r <- bacon("castle", castle, "l_homicide", "post", "sid", "year")
# published (bacondecomp 0.1.1 vignette): weights 0.05976 / 0.03190 / 0.90834, estimates -0.00554 / 0.07032 / 0.08796
agg <- function(ty) c(sum(r$weight[r$type == ty]), sum(r$weight[r$type == ty] * r$estimate[r$type == ty]) / sum(r$weight[r$type == ty]))
stopifnot(all(abs(round(agg("Earlier vs Later Treated"), 5) - c(0.05976, -0.00554)) < 1e-12),
          all(abs(round(agg("Later vs Earlier Treated"), 5) - c(0.03190, 0.07032)) < 1e-12),
          all(abs(round(agg("Treated vs Untreated"), 5) - c(0.90834, 0.08796)) < 1e-12),
          abs(sum(r$weight * r$estimate) - 0.0818116169306475) < 1e-12)
mpdta <- read.csv(file.path(out_dir, "mpdta.csv"))
mpdta$d <- as.numeric(mpdta$first.treat > 0 & mpdta$year >= mpdta$first.treat)
bacon("mpdta", mpdta, "lemp", "d", "countyreal", "year")
panel <- read.csv("data/synthetic/panel.csv")
bacon("panel", panel, "resilience", "treat", "city_code", "year")
# always-treated units: mpdta's 2004 cohort recoded as treated from 2003 on
mp2 <- mpdta; mp2$d[mp2$first.treat == 2004] <- 1
bacon("mpdta_always", mp2, "lemp", "d", "countyreal", "year")

out <- do.call(rbind, rows)
write.csv(out, file.path(out_dir, "bacon_reference.csv"), row.names = FALSE, quote = FALSE)
cat("wrote", nrow(out), "values\n")
