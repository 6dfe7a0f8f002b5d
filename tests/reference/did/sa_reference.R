# Reference values for the Sun & Abraham (2021) interaction-weighted event study
# (Compendium.Econometrics.Staggered.SunAbraham), from R fixest 0.12.2 `sunab()`.
#
# Run from the repository root:
#   Rscript tests/reference/did/sa_reference.R
# R fixest 0.12.2 from FIXEST_LIB (see tests/reference/use_fixest.R). Reads tests/reference/did/mpdta.csv and
# data/synthetic/panel.csv; writes tests/reference/did/sa_reference.csv (case, quantity, term, value).
#
# Model: y ~ sunab(cohort, period) | unit + period, clustered by unit (fixest defaults: CR1 with
# G/(G-1) (n-1)/(n-K), the unit FE nested in the cluster counted once; t(G-1) for p-values).
# fixest interacts every cohort (except the control cohort) with every relative period except the
# reference period -1; the reported event-time coefficients are the interaction-weighted averages
# with weights = each cohort's share of the observations at that relative period, and their vcov is
# W V W' (delta method). `aggregate(m, "ATT")` is the cohort-share-weighted average over relative
# periods >= 0 (weights: number of treated observations of each cohort x relative-period cell).
# Never-treated units are coded with cohort 10000 (outside the time range), fixest's convention.
# Control "last": the last-treated cohort is the control (ref.c), never-treated units are dropped
# and so are periods from that cohort's first treated period on.
source("tests/reference/use_fixest.R")
use_fixest()
out_dir <- "tests/reference/did"
fmt <- function(x) sprintf("%.17g", x)
rows <- list()
add <- function(case, quantity, term, value)
  rows[[length(rows) + 1]] <<- data.frame(case = case, quantity = quantity, term = as.character(term), value = fmt(value))

sa <- function(case, d, y, id, time, gname, control = "never") {
  d$.cohort <- ifelse(d[[gname]] > 0, d[[gname]], 10000)
  d$.unit <- d[[id]]; d$.time <- d[[time]]; d$.y <- d[[y]]
  if (control == "last") {
    last <- max(d$.cohort[d$.cohort < 10000])
    d <- d[d$.cohort < 10000 & d$.time < last, ]
    m <- feols(.y ~ sunab(.cohort, .time, ref.c = last) | .unit + .time, d, cluster = ~.unit)
  } else {
    m <- feols(.y ~ sunab(.cohort, .time) | .unit + .time, d, cluster = ~.unit)
  }
  ct <- coeftable(m)                               # aggregated by relative period
  ca <- coeftable(summary(m, agg = FALSE))          # cohort x relative period interactions
  V <- vcov(m)                                      # of the interactions
  parts <- regmatches(rownames(ca), regexec("^\\.time::(-?[0-9]+):cohort::([0-9]+)$", rownames(ca)))
  rel <- sapply(parts, `[`, 2); coh <- sapply(parts, `[`, 3)
  mm <- model.matrix(m)[, rownames(ca), drop = FALSE]
  nobs_cell <- colSums(mm != 0)
  # aggregation matrix W (relative periods x interactions): cohort shares of the observations
  rels <- sub("^\\.time::", "", rownames(ct))
  W <- t(sapply(rels, function(e) { s <- ifelse(rel == e, nobs_cell, 0); s / sum(s) }))
  b <- as.vector(W %*% ca[, 1]); Vagg <- W %*% V %*% t(W)
  stopifnot(max(abs(b - ct[, 1])) < 1e-13, max(abs(sqrt(diag(Vagg)) / ct[, 2] - 1)) < 1e-10)
  for (j in seq_along(rels)) {
    add(case, "estimate", rels[j], ct[j, 1]); add(case, "std_error", rels[j], ct[j, 2])
    add(case, "p", rels[j], ct[j, 4])
  }
  for (a in seq_along(rels)) for (c2 in seq_along(rels))
    add(case, "vcov", paste0(rels[a], ":", rels[c2]), Vagg[a, c2])
  for (j in seq_len(nrow(ca))) {
    key <- paste0(coh[j], ":", rel[j])               # cohort:relative period
    add(case, "interaction_estimate", key, ca[j, 1]); add(case, "interaction_std_error", key, ca[j, 2])
    add(case, "interaction_nobs", key, nobs_cell[j])
  }
  att <- aggregate(m, agg = "ATT")
  add(case, "att", "estimate", att[1, 1]); add(case, "att", "std_error", att[1, 2])
  add(case, "sample", "nobs", nobs(m))
  add(case, "sample", "clusters", length(unique(d$.unit)))
}

mpdta <- read.csv(file.path(out_dir, "mpdta.csv"))
sa("mpdta_never", mpdta, "lemp", "countyreal", "year", "first.treat")
sa("mpdta_last", mpdta, "lemp", "countyreal", "year", "first.treat", control = "last")
panel <- read.csv("data/synthetic/panel.csv")
sa("panel_never", panel, "resilience", "city_code", "year", "policy_year")

out <- do.call(rbind, rows)
write.csv(out, file.path(out_dir, "sa_reference.csv"), row.names = FALSE, quote = FALSE)
cat("wrote", nrow(out), "values\n")
