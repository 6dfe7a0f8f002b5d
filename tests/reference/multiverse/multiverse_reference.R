# Reference values for the specification curve (tests/Compendium.Tests/Multiverse/MultiverseReferenceTests.cs).
# Run from the repository root: Rscript tests/reference/multiverse/multiverse_reference.R
# (R 4.2.2, fixest 0.12.2 loaded by tests/reference/use_fixest.R; base R otherwise)
# Reads the committed synthetic panel and the public city facts of this repository (data/) and writes, in tests/reference/multiverse/,
#   index_weights.csv   the weights of the equal-weights and first-principal-component indices,
#   index_values.csv    the four index variants for the first 40 rows of the panel,
#   specs.csv           TWFE DID estimates of 16 specifications covering every option of every choice
# Every number is written with 17 significant digits. All of it is SYNTHETIC data made by the compendium's simulator.
source("tests/reference/use_fixest.R")
use_fixest()
outdir <- "tests/reference/multiverse"
p <- read.csv("data/synthetic/panel.csv", stringsAsFactors = FALSE)
cities <- read.csv("data/cities.csv", stringsAsFactors = FALSE)
zones <- read.csv("data/pilot_zones.csv", stringsAsFactors = FALSE)
members <- read.csv("data/pilot_members.csv", stringsAsFactors = FALSE)

ind <- c("gdp_pc", "trade_dep", "ui_coverage", "savings_pc", "urban_rate", "retail_pc", "gdp_growth", "fiscal_self",
         "fin_dev", "hospital_beds", "sci_edu_share", "tert_sec_ratio", "students_per10k", "patents_per10k")
positive <- ind != "trade_dep"
norm <- function(x, pos) { r <- max(x) - min(x); if (pos) (x - min(x)) / r else (max(x) - x) / r }
Z <- sapply(seq_along(ind), function(j) norm(p[[ind[j]]], positive[j]))
colnames(Z) <- ind

# equal weights: 1/14 on every min-max normalised indicator
w_equal <- rep(1 / length(ind), length(ind))
# first principal component of the standardised indicators: weights = squared loadings (unit eigenvector)
pc <- prcomp(Z, center = TRUE, scale. = TRUE)
w_pca <- pc$rotation[, 1]^2
# per-year entropy (shift 1e-4): weights and bounds within each year
entropy_year <- function(d) {
  z <- sapply(seq_along(ind), function(j) norm(d[[ind[j]]], positive[j]))
  q <- sweep(z + 1e-4, 2, colSums(z + 1e-4), "/")
  e <- -colSums(q * log(q)) / log(nrow(d))
  w <- (1 - e) / sum(1 - e)
  as.vector(z %*% w)
}
p$resilience__equal_weights <- as.vector(Z %*% w_equal)
p$resilience__pca <- as.vector(Z %*% w_pca)
p$resilience__entropy_per_year <- NA_real_
for (y in unique(p$year)) { k <- p$year == y; p$resilience__entropy_per_year[k] <- entropy_year(p[k, ]) }

f17 <- function(x) formatC(x, digits = 17, format = "g")
write.csv(data.frame(indicator = ind, equal_weights = f17(w_equal), pca = f17(w_pca)), file.path(outdir, "index_weights.csv"), row.names = FALSE, quote = FALSE)
write.csv(data.frame(row = 1:40, entropy_pooled = f17(p$resilience[1:40]), entropy_per_year = f17(p$resilience__entropy_per_year[1:40]),
                     equal_weights = f17(p$resilience__equal_weights[1:40]), pca = f17(p$resilience__pca[1:40])),
          file.path(outdir, "index_values.csv"), row.names = FALSE, quote = FALSE)

# treatment timing: recode from the calendar (a city's zone gives its first treated year)
recode <- function(d, timing) {
  py <- setNames(zones[[paste0("policy_year_", timing)]], zones$zone_id)
  first <- setNames(py[members$zone_id], members$city_code)
  pyear <- first[as.character(d$city_code)]
  d$policy_year <- ifelse(is.na(pyear), 0, pyear)
  d$treat <- ifelse(is.na(pyear), 0, as.numeric(d$year >= pyear))
  d
}
facts <- cities[match(p$city_code, cities$city_code), ]
samples <- list(
  all = rep(TRUE, nrow(p)),
  no_municipalities = facts$municipality == 0,
  no_capitals = !(facts$provincial_capital == 1 | facts$sub_provincial == 1),
  no_2020_2022 = p$year < 2020 | p$year > 2022)
controls_all <- c("econ_density", "infrastructure", "gov_intervention", "fdi", "avg_wage")
index_col <- c(entropy_pooled = "resilience", entropy_per_year = "resilience__entropy_per_year",
               equal_weights = "resilience__equal_weights", pca = "resilience__pca")

# 16 specifications: each option of each choice appears at least once
specs <- data.frame(
  controls = c("none", "econ_density+infrastructure+gov_intervention+fdi+avg_wage", "fdi", "infrastructure+avg_wage",
               "econ_density+gov_intervention", "none", "econ_density+infrastructure+gov_intervention+fdi+avg_wage", "gov_intervention+fdi+avg_wage",
               "econ_density", "avg_wage", "infrastructure+gov_intervention+fdi", "econ_density+infrastructure+gov_intervention+fdi+avg_wage",
               "none", "fdi+avg_wage", "econ_density+infrastructure", "econ_density+infrastructure+gov_intervention+fdi+avg_wage"),
  timing = rep(c("default", "alternative"), 8),
  sample = rep(c("all", "no_municipalities", "no_capitals", "no_2020_2022"), each = 4),
  index = rep(c("entropy_pooled", "entropy_per_year", "equal_weights", "pca"), 4),
  fixed_effects = rep(c("city+year", "city+year", "city+province_year", "city+province_year"), 4),
  cluster = c("city", "province", "city", "province", "province", "city", "province", "city",
              "city", "province", "province", "city", "province", "city", "city", "province"),
  stringsAsFactors = FALSE)
out <- list()
for (i in seq_len(nrow(specs))) {
  s <- specs[i, ]
  d <- recode(p, s$timing)[samples[[s$sample]], ]
  ctl <- if (s$controls == "none") character(0) else strsplit(s$controls, "+", fixed = TRUE)[[1]]
  fe <- if (s$fixed_effects == "city+year") "city_code + year" else "city_code + province^year"
  f <- as.formula(paste0(index_col[[s$index]], " ~ ", paste(c("treat", ctl), collapse = " + "), " | ", fe))
  cl <- if (s$cluster == "city") ~city_code else ~province
  # singletons removed (the compendium's convention, as reghdfe); fixest's default small-sample corrections
  m <- feols(f, data = d, cluster = cl, fixef.rm = "singleton")
  ci <- confint(m, "treat")
  out[[i]] <- data.frame(s, estimate = f17(coef(m)[["treat"]]), std_error = f17(se(m)[["treat"]]),
                         ci_low = f17(ci[1, 1]), ci_high = f17(ci[1, 2]), p = f17(pvalue(m)[["treat"]]), nobs = nobs(m))
}
write.csv(do.call(rbind, out), file.path(outdir, "specs.csv"), row.names = FALSE, quote = FALSE)
cat("wrote index_weights.csv, index_values.csv, specs.csv\n")
