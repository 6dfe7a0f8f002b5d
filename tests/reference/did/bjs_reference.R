# Reference values for the Borusyak, Jaravel & Spiess (2024) imputation estimator
# (Compendium.Econometrics.Staggered.ImputationDid), rebuilt by formula in base R.
#
# Run from the repository root (needs R fixest 0.12.2 for the pre-trend regression only):
#   Rscript tests/reference/did/bjs_reference.R
# R fixest 0.12.2 from FIXEST_LIB (see tests/reference/use_fixest.R). Reads tests/reference/did/mpdta.csv and
# data/synthetic/panel.csv; writes tests/reference/did/bjs_reference.csv (case, quantity, term, value).
#
# Formulas (BJS 2024, Review of Economic Studies 91(6); the didimputation R package, K. Butts):
#  * Omega0 = untreated observations (never-treated units, treated units before their first treated
#    period); Omega1 = treated observations (t >= g). Event time h = t - g.
#  * Step 1: OLS of Y on unit and period dummies on Omega0 only (lm with factors).
#  * Step 2: imputed effects tau_it = Y_it - alpha_i - lambda_t on Omega1.
#  * Step 3: tau_w = sum w_it tau_it with w = 1/N1 on Omega1 (overall ATT) or w = 1/N_h on the
#    treated observations with event time h (dynamic).
#  * Conservative variance (BJS Theorem 3, didimputation's implementation):
#      v_it = w_it on Omega1; v = -Z0 (Z0'Z0)^-1 Z1' w1 on Omega0 (Z = the FE dummies);
#      tau_bar_gt = sum v^2 tau / sum v^2 within cohort x period cells of Omega1;
#      e_it = first-step residual on Omega0, tau_it - tau_bar_gt on Omega1;
#      Var = sum over units i of (sum_t v_it e_it)^2  (clustered by unit; no small-sample factor).
#  * Pre-trend test (BJS Test 1): on Omega0 only, Y ~ lead dummies 1{h = -1}, ..., 1{h = -k} | unit +
#    period, clustered by unit (fixest defaults: CR1 with G/(G-1) (n-1)/(n-K), K with the unit FE
#    nested in the cluster counted once), Wald F over the k leads on F(k, n - K) (as fixest's wald()).
source("tests/reference/use_fixest.R")
use_fixest()
out_dir <- "tests/reference/did"
fmt <- function(x) sprintf("%.17g", x)
rows <- list()
add <- function(case, quantity, term, value)
  rows[[length(rows) + 1]] <<- data.frame(case = case, quantity = quantity, term = as.character(term), value = fmt(value))

bjs <- function(case, d, y, id, time, gname, leads) {
  d <- d[order(d[[id]], d[[time]]), ]
  g <- d[[gname]]
  treated <- g > 0 & d[[time]] >= g
  h <- ifelse(g > 0, d[[time]] - g, NA)
  d$.unit <- factor(d[[id]]); d$.time <- factor(d[[time]])
  Z <- model.matrix(~ .unit + .time, d)             # intercept + unit and period dummies (one of each dropped)
  Z0 <- Z[!treated, , drop = FALSE]; Z1 <- Z[treated, , drop = FALSE]
  fit <- lm.fit(Z0, d[[y]][!treated])
  stopifnot(fit$rank == ncol(Z))                     # every unit has an untreated observation
  yhat0 <- as.vector(Z %*% fit$coefficients)
  adj <- d[[y]] - yhat0                              # residual on Omega0, tau on Omega1
  A <- solve(crossprod(Z0))
  targets <- list(overall = as.numeric(treated))
  for (e in sort(unique(h[treated]))) targets[[paste0("h", e)]] <- as.numeric(treated & h == e)
  cell <- paste(g, d[[time]])
  for (nm in names(targets)) {
    w <- targets[[nm]] / sum(targets[[nm]])
    est <- sum(w[treated] * adj[treated])
    v <- numeric(nrow(d))
    v[treated] <- w[treated]
    v[!treated] <- -as.vector(Z0 %*% (A %*% crossprod(Z1, w[treated])))
    tau_bar <- numeric(nrow(d))
    for (cc in unique(cell[treated])) {
      k <- treated & cell == cc
      s <- sum(v[k]^2)
      tau_bar[k] <- if (s > 0) sum(v[k]^2 * adj[k]) / s else 0
    }
    e_tilde <- adj - tau_bar
    se <- sqrt(sum(tapply(v * e_tilde, d[[id]], sum)^2))
    term <- if (nm == "overall") "overall" else sub("h", "", nm)
    add(case, "estimate", term, est); add(case, "std_error", term, se)
    add(case, "n_treated", term, sum(targets[[nm]]))
  }
  add(case, "nobs_untreated", "", sum(!treated))
  # pre-trend test on Omega0
  d0 <- d[!treated, ]
  h0 <- h[!treated]
  lead_names <- character(0)
  for (k in seq_len(leads)) {
    nm <- paste0("lead", k); lead_names <- c(lead_names, nm)
    d0[[nm]] <- as.numeric(!is.na(h0) & h0 == -k)
  }
  f <- as.formula(paste0(y, " ~ ", paste(lead_names, collapse = " + "), " | .unit + .time"))
  m <- feols(f, d0, cluster = ~.unit)
  ct <- coeftable(m)
  for (nm in lead_names) {
    add(case, "pretrend_estimate", nm, ct[nm, 1]); add(case, "pretrend_std_error", nm, ct[nm, 2])
  }
  wt <- wald(m, keep = "^lead", print = FALSE)
  add(case, "pretrend_wald", "stat", wt$stat); add(case, "pretrend_wald", "p", wt$p)
  add(case, "pretrend_wald", "df1", wt$df1); add(case, "pretrend_wald", "df2", wt$df2)
}

mpdta <- read.csv(file.path(out_dir, "mpdta.csv"))
bjs("mpdta", mpdta, "lemp", "countyreal", "year", "first.treat", leads = 3)
panel <- read.csv("data/synthetic/panel.csv")
bjs("panel", panel, "resilience", "city_code", "year", "policy_year", leads = 3)

out <- do.call(rbind, rows)
write.csv(out, file.path(out_dir, "bjs_reference.csv"), row.names = FALSE, quote = FALSE)
cat("wrote", nrow(out), "values\n")
