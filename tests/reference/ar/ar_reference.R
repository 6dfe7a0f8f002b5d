# Reference values for the Anderson-Rubin test at any hypothesised value b0 and the Anderson-Rubin
# confidence set (Compendium's AndersonRubin), by formula, from explicit regressions in base R.
#
# Run from the repository root:
#   Rscript tests/reference/ar/ar_reference.R [PANEL_CSV]      (≈ 1 min)
# Reads tests/reference/iv/cigarettes1995.csv and tests/reference/iv/mpdta_iv.csv (written by
# tests/reference/iv/iv_reference.R; sources in that folder's script) and PANEL_CSV (default
# data/synthetic/panel.csv). Writes tests/reference/ar/ar_reference.csv: case,key,value (17
# significant digits).
#
# Model y = X1 g + D b + FE + u with one endogenous regressor D and L1 excluded instruments Z.
# AR(b0): regress y - b0 D on X1, Z and the fixed effects (lm with factor dummies) and Wald-test the
# L1 coefficients of Z (Anderson and Rubin 1949; the robust form of Chernozhukov and Hansen 2008):
#   chi2 = the Wald statistic with the unadjusted variance (CR0, HC0, or RSS/N for iid), ~ chi2(L1);
#   F    = the same Wald statistic with fixest's small-sample factor (K = L + K_fe, a fixed effect
#          nested in the cluster counting 1) divided by L1, ~ F(L1, G - 1) clustered, F(L1, N - K)
#          otherwise — the convention of Compendium's IvDiagnostics (= ivreg2's AR F at b0 = 0).
# The 95% confidence set {b0 : p(b0) > 0.05} is found by root finding (uniroot, tol 1e-13) on
# AR(b0) - critical value between the points of a fine grid where the test changes side; its shape
# follows from the limit of AR(b0) as |b0| -> infinity, which is the Wald statistic of Z in the first
# stage of D (Dufour 1997: the set is unbounded when the instruments are not significant):
#   bounded        one interval [lo, hi]
#   two_rays       (-inf, lo] U [hi, inf)
#   real_line      every b0 (the data say nothing about b)
#   empty          no b0 (with L1 > 1: the overidentifying restrictions are rejected at every b0)
# (With L1 > 1 a set can also be a bounded interval plus rays; this script stops if a case has more
# than two crossings.)
suppressMessages(library(sandwich))
args <- commandArgs(trailingOnly = TRUE)
panel_path <- if (length(args) >= 1) args[1] else "data/synthetic/panel.csv"
out <- "tests/reference/ar"
fmt <- function(x) sprintf("%.17g", as.numeric(x))
rows <- list()
put <- function(case, key, value) rows[[length(rows) + 1]] <<- data.frame(case = case, key = key, value = fmt(value))

# AR statistics at b0, by an explicit regression with the fixed effects as factor dummies (slow; used to
# check the partialled version below at a few b0).
ar_at_full <- function(df, y, exog, endog, inst, fe, type, cl, b0) {
  df$.y0 <- df[[y]] - b0 * df[[endog]]
  rhs <- c(if (length(fe)) paste0("factor(", fe, ")"), exog, inst)
  m <- lm(reformulate(rhs, response = ".y0"), data = df)
  b <- coef(m)[inst]
  V0 <- switch(type,
    iid = vcov(m)[inst, inst, drop = FALSE] * (nrow(df) - m$rank) / nrow(df),
    hc1 = vcovHC(m, type = "HC0")[inst, inst, drop = FALSE],
    cluster = vcovCL(m, cluster = df[[cl]], type = "HC0", cadjust = FALSE)[inst, inst, drop = FALSE])
  drop(t(b) %*% solve(V0, b))
}

# The model partialled once: fixed-effect dummies, the intercept (no FE) and the exogenous regressors are
# projected out of y, D and Z by lm.fit (Frisch-Waugh-Lovell; coefficients, residuals and sandwich of the Z
# block are those of the full regression). K = L + K_fe as in the C# code (a FE nested in the cluster counts 1).
prepare <- function(df, y, exog, endog, inst, fe, type, cl) {
  n <- nrow(df)
  P <- if (length(fe)) model.matrix(reformulate(paste0("factor(", fe, ")")), df) else matrix(1, n, 1)
  P <- cbind(P, as.matrix(df[, exog, drop = FALSE]))
  part <- function(v) lm.fit(P, v)$residuals
  L1 <- length(inst); L <- L1 + length(exog) + if (length(fe)) 0 else 1
  kfe <- if (length(fe)) sum(sapply(fe, function(f) length(unique(df[[f]])))) - (length(fe) - 1) else 0
  if (type == "cluster") for (f in fe)
    if (all(tapply(df[[cl]], df[[f]], function(v) length(unique(v))) == 1)) kfe <- kfe - length(unique(df[[f]])) + 1
  K <- L + kfe
  list(y = part(df[[y]]), d = part(df[[endog]]), Z = sapply(inst, function(v) part(df[[v]])), n = n, L1 = L1, K = K,
       type = type, cl = if (type == "cluster") df[[cl]] else NULL)
}
ar_at <- function(p, b0) {
  Z <- matrix(p$Z, p$n); yb <- p$y - b0 * p$d
  m <- lm(yb ~ Z - 1)
  b <- coef(m); n <- p$n; K <- p$K; L1 <- p$L1
  if (p$type == "iid") {
    V0 <- solve(crossprod(Z)) * sum(residuals(m)^2) / n; fac <- n / (n - K); df2 <- n - K
  } else if (p$type == "hc1") {
    V0 <- vcovHC(m, type = "HC0"); fac <- n / (n - K); df2 <- n - K
  } else {
    G <- length(unique(p$cl))
    V0 <- vcovCL(m, cluster = p$cl, type = "HC0", cadjust = FALSE); fac <- G / (G - 1) * (n - 1) / (n - K); df2 <- G - 1
  }
  chi2 <- drop(t(b) %*% solve(V0, b))
  f <- chi2 / fac / L1
  list(chi2 = chi2, f = f, p_chi2 = pchisq(chi2, L1, lower.tail = FALSE), p_f = pf(f, L1, df2, lower.tail = FALSE), df1 = L1, df2 = df2)
}
# The limit as |b0| -> infinity: AR of "y = 0, D = -D" at b0 = 1, i.e. the first-stage Wald statistic of Z.
limit_of <- function(p) ar_at(within(p, { y <- d; d <- 0 * d }), 0)

case_ar <- function(case, df, y, exog, endog, inst, fe, type, cl = NULL, b0s, grid, check_full = numeric(0)) {
  p <- prepare(df, y, exog, endog, inst, fe, type, cl)
  for (b0 in check_full) {   # the partialled statistic equals the one from the full dummy regression
    full <- ar_at_full(df, y, exog, endog, inst, fe, type, cl, b0)
    stopifnot(abs(full / ar_at(p, b0)$chi2 - 1) < 1e-9)
  }
  for (b0 in b0s) {
    a <- ar_at(p, b0)
    key <- paste0("ar:", fmt(b0), ":")
    put(case, paste0(key, "f"), a$f); put(case, paste0(key, "p_f"), a$p_f)
    put(case, paste0(key, "chi2"), a$chi2); put(case, paste0(key, "p_chi2"), a$p_chi2)
  }
  a0 <- ar_at(p, 0)
  put(case, "df1", a0$df1); put(case, "df2", a0$df2)
  lim <- limit_of(p)
  put(case, "limit_f", lim$f); put(case, "limit_chi2", lim$chi2)
  on_grid <- lapply(grid, function(b) ar_at(p, b))
  for (form in c("f", "chi2")) {
    crit <- if (form == "f") qf(0.95, a0$df1, a0$df2) else qchisq(0.95, a0$df1)
    g <- function(b) ar_at(p, b)[[form]] - crit
    vals <- sapply(on_grid, function(a) a[[form]] - crit)
    cross <- which(diff(sign(vals)) != 0)
    if (length(cross) > 2) stop(case, ": more than two crossings")
    ends <- sapply(cross, function(i) uniroot(g, c(grid[i], grid[i + 1]), tol = 1e-13)$root)
    unbounded <- lim[[form]] < crit
    shape <- if (!unbounded && length(ends) == 0 && all(vals > 0)) "empty"       # every b0 rejected (overidentified)
             else if (!unbounded) "bounded" else if (length(ends) == 2) "two_rays" else if (length(ends) == 0) "real_line" else stop("unexpected")
    if (shape == "bounded" && length(ends) != 2) stop(case, ": bounded set but ", length(ends), " crossings on the grid; refine the grid")
    put(case, paste0("set_", form, ":shape:", shape), 1)
    put(case, paste0("set_", form, ":crit"), crit)
    if (length(ends) == 2) { put(case, paste0("set_", form, ":lo"), min(ends)); put(case, paste0("set_", form, ":hi"), max(ends)) }
  }
}

# 1. The synthetic panel, the study's IV: resilience ~ controls | city + year | treat ~ iv_tel_internet, clustered by city.
if (file.exists(panel_path)) {
  pn <- read.csv(panel_path)
  ctrl <- c("econ_density", "infrastructure", "gov_intervention", "fdi", "avg_wage")
  case_ar("panel_cluster", pn, "resilience", ctrl, "treat", "iv_tel_internet", c("city_code", "year"), "cluster", "city_code",
          b0s = c(-0.1, 0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.1), grid = seq(-0.5, 0.5, by = 0.001), check_full = c(0, 0.03))
  case_ar("panel_hc1", pn, "resilience", ctrl, "treat", "iv_tel_internet", c("city_code", "year"), "hc1",
          b0s = c(0, 0.02, 0.04), grid = seq(-0.5, 0.5, by = 0.001), check_full = 0.03)
}

# 2. Cigarette demand 1995 (Stock and Watson), two instruments, HC1 and iid.
cig <- read.csv("tests/reference/iv/cigarettes1995.csv")
case_ar("cig_1x2_hc1", cig, "lpacks", "lrincome", "lrprice", c("tdiff", "rtax"), character(0), "hc1",
        b0s = c(-2, -1.5, -1.28, -1, -0.5, 0), grid = seq(-6, 4, by = 0.001), check_full = -1)
case_ar("cig_1x2_iid", cig, "lpacks", "lrincome", "lrprice", c("tdiff", "rtax"), character(0), "iid",
        b0s = c(-1.5, -1), grid = seq(-6, 4, by = 0.001), check_full = -1)

# 3. mpdta_iv (tests/reference/iv): a strong case (d1 by z1-z3), and two weak ones with instruments made here
#    (written to ar_weak.csv): zw_a = 0.02 z3 + e, zw_b = 0.1 z3 + e, e ~ N(0, 1) with seed 20261130, for d2;
#    y_r = y + 0.1 zw_b makes the reduced form strong with the first stage weak (a set of two rays).
mp <- read.csv("tests/reference/iv/mpdta_iv.csv")
set.seed(20261130)
e <- rnorm(nrow(mp))
mp$zw_a <- 0.02 * mp$z3 + e
mp$zw_b <- 0.1 * mp$z3 + e
mp$y_r <- mp$y + 0.1 * mp$zw_b   # an outcome whose reduced form on zw_b is strong while the first stage is weak: two rays
write.csv(mp, file.path(out, "ar_weak.csv"), row.names = FALSE)
mp <- read.csv(file.path(out, "ar_weak.csv"))   # exactly what the C# tests read
case_ar("mp_strong_cluster", mp, "y", "x1", "d1", c("z1", "z2", "z3"), c("countyreal", "year"), "cluster", "countyreal",
        b0s = c(0, 0.37, 1), grid = seq(-0.5, 1.5, by = 0.001))
case_ar("mp_weak_a_cluster", mp, "y", character(0), "d2", "zw_a", c("countyreal", "year"), "cluster", "countyreal",
        b0s = c(-1, 0, 1), grid = seq(-200, 200, by = 0.05))
case_ar("mp_weak_b_cluster", mp, "y", character(0), "d2", "zw_b", c("countyreal", "year"), "cluster", "countyreal",
        b0s = c(-1, 0, 1), grid = seq(-200, 200, by = 0.05))
case_ar("mp_rays_cluster", mp, "y_r", character(0), "d2", "zw_b", c("countyreal", "year"), "cluster", "countyreal",
        b0s = c(-4, 0, 1), grid = seq(-200, 200, by = 0.05))

res <- do.call(rbind, rows)
write.csv(res, file.path(out, "ar_reference.csv"), row.names = FALSE, quote = FALSE)
cat("wrote", nrow(res), "values\n")
print(res[grepl("set_|limit", res$key), ], row.names = FALSE)
