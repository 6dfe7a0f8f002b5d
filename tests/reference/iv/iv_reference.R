# Reference values for Compendium.Estimation.Iv2sls and its weak-instrument diagnostics.
#
# Run from the repository root:
#   Rscript tests/reference/iv/iv_reference.R [PANEL_CSV]
# PANEL_CSV defaults to data/synthetic/panel.csv; that case is skipped if the file is absent.
#
# Writes, in tests/reference/iv/:
#   mpdta_iv.csv          mpdta (did package) with an exogenous covariate, two endogenous regressors
#                         and three instruments constructed here from a fixed seed;
#   cigarettes1995.csv    AER's CigarettesSW, 1995 cross-section (Stock & Watson's IV example);
#   iv_reference.csv      long format: case, quantity, term, value (17 significant digits).
#
# Independent implementations, so the C# code is checked against something it does not share:
#  * 2SLS coefficients: AER::ivreg with the fixed effects as explicit factor dummies.
#  * Standard errors: sandwich::vcovCL(type = "HC0", cadjust = FALSE) / vcovHC(type = "HC0") on
#    the ivreg fit, times fixest's small-sample factor, or vcov(ivreg) rescaled to n - K:
#      iid     sigma^2 = RSS / (n - K)
#      HC1     n / (n - K)
#      cluster G/(G - 1) * (n - 1)/(n - K)
#    K = non-FE coefficients + K_fe; K_fe follows fixest's ssc(fixef.K = "nested"): the rank of the
#    FE dummies (sum of levels - (number of FE - 1)); with clustering, a FE nested in the cluster
#    counts 1 instead of its number of levels (fixest: K - (levels_nested - 1)).
#  * Diagnostics (ivreg2 / ranktest formulas, Baum, Schaffer & Stillman 2007; Kleibergen & Paap
#    2006), on the data with FE and exogenous regressors partialled out by lm() on dummies:
#      Cragg-Donald F   = min_j[r_j^2/(1 - r_j^2)] (N - L - sdof)/L1, r_j canonical correlations
#      Anderson LM      = N min_j r_j^2,  chi2(L1 - K1 + 1)                  (iid only)
#      KP rk LM / Wald  : Kleibergen-Paap SVD of Theta = Qzz^{1/2} Pi Qyy^{-1/2}
#      KP rk Wald F     = rkW/(N - 1) (N - L - sdof) (G - 1)/G / L1   (cluster)
#                       = rkW/N (N - L - sdof) / L1                   (HC)
#      KP rk LM         : chi2(L1 - K1 + 1), no small-sample factor
#      Anderson-Rubin   : Wald test of the excluded instruments in the reduced form of y - D b0 (b0 = 0),
#                         chi2 = unadjusted Wald (CR0 / HC0 / RSS/N), F = same factor as KP F
#    with L = excluded instruments + exogenous regressors (+ 1 for the intercept when there is no
#    FE), L1 = excluded instruments, sdof = K_fe.
#  Checks made here (stopifnot) of what the C# code relies on:
#    - with one endogenous regressor, KP rk Wald F equals the first-stage Wald F of the excluded
#      instruments under the model's vcov with fixest's factor (K = L + K_fe);
#    - with homoskedastic Omega = Sigma (x) Qzz, the KP Wald statistic equals the Cragg-Donald Wald
#      statistic N min r^2/(1 - r^2) (checks the SVD machinery for K1 = 2).
suppressMessages({ library(AER); library(sandwich) })
args <- commandArgs(trailingOnly = TRUE)
panel_path <- if (length(args) >= 1) args[1] else "data/synthetic/panel.csv"
out <- "tests/reference/iv"
fmt <- function(x) sprintf("%.17g", x)
rows <- list()
add <- function(case, quantity, term, value)
  rows[[length(rows) + 1]] <<- data.frame(case = case, quantity = quantity, term = term, value = fmt(value))

sym_sqrt <- function(A) { e <- eigen(A, symmetric = TRUE); e$vectors %*% (sqrt(pmax(e$values, 0)) * t(e$vectors)) }

# Sum of score outer products: by cluster if cl is given, else by observation.
meat <- function(S, cl) {
  if (is.null(cl)) return(crossprod(S))
  crossprod(rowsum(S, cl))
}

# Kleibergen-Paap rk statistic for H0: rank(Pi) = K1 - 1, given partialled D (N x K1), Z (N x L1) and
# the score covariance Omega of vec(Z'V)/sqrt(N) (V = D for LM, first-stage residuals for Wald).
kp_rk <- function(D, Z, Omega) {
  N <- nrow(D); K1 <- ncol(D); L1 <- ncol(Z)
  Qzz <- crossprod(Z) / N; Qyy <- crossprod(D) / N; Qzy <- crossprod(Z, D) / N
  Fz <- chol(Qzz); Gy <- chol(Qyy)                      # upper: F'F = Qzz
  Pi <- solve(Qzz, Qzy)
  Theta <- Fz %*% Pi %*% solve(Gy)
  s <- svd(Theta, nu = L1, nv = K1)
  Tr <- kronecker(t(solve(Gy)), t(solve(Fz)))           # vec(Theta) = (Gy^-1' x Fz) vec(Pi); Fz Qzz^-1 = Fz'^-1
  Vth <- Tr %*% Omega %*% t(Tr)
  q <- K1 - 1
  U <- s$u; V <- s$v
  if (q == 0) { Aq <- U %*% solve(U) %*% sym_sqrt(U %*% t(U)); Bq <- sym_sqrt(V %*% t(V)) %*% solve(t(V)) %*% t(V) } else {
    U12 <- U[1:q, (q + 1):L1, drop = FALSE]; U22 <- U[(q + 1):L1, (q + 1):L1, drop = FALSE]
    V12 <- V[1:q, (q + 1):K1, drop = FALSE]; V22 <- V[(q + 1):K1, (q + 1):K1, drop = FALSE]
    Aq <- rbind(U12, U22) %*% solve(U22) %*% sym_sqrt(U22 %*% t(U22))
    Bq <- sym_sqrt(V22 %*% t(V22)) %*% solve(t(V22)) %*% t(rbind(V12, V22))
  }
  M <- kronecker(Bq, t(Aq))
  lam <- M %*% as.vector(Theta)
  Vl <- M %*% Vth %*% t(M)
  list(stat = drop(N * t(lam) %*% solve(Vl, lam)), df = L1 - K1 + 1, r2 = s$d[1:min(K1, L1)]^2)
}

# Omega for kp_rk: (1/N) sum over clusters/observations of (v_i (x) z_i)(v_i (x) z_i)'.
kp_omega <- function(V, Z, cl) {
  S <- do.call(cbind, lapply(seq_len(ncol(V)), function(j) V[, j] * Z))
  meat(S, cl) / nrow(Z)
}

# Sandwich vcov of an OLS fit of y on W (partialled design), small-sample factor as for fixest.
ols_vcov <- function(W, e, type, cl, Kfe_vcov, Kfe_iid) {
  n <- nrow(W); k <- ncol(W)
  B <- solve(crossprod(W))
  if (type == "iid") return(B * sum(e^2) / (n - k - Kfe_iid))
  Kk <- k + Kfe_vcov
  if (type == "hc1") return(B %*% meat(W * e, NULL) %*% B * n / (n - Kk))
  G <- length(unique(cl))
  B %*% meat(W * e, cl) %*% B * G / (G - 1) * (n - 1) / (n - Kk)
}

# One case. fe: character vector of FE columns (may be empty); cl: cluster column or NULL.
run_case <- function(case, df, y, exog, endog, inst, fe, type, cl = NULL) {
  n <- nrow(df)
  fe_levels <- sapply(fe, function(f) length(unique(df[[f]])))
  Kfe_full <- if (length(fe)) sum(fe_levels) - (length(fe) - 1) else 0
  Kfe_vcov <- Kfe_full
  if (type == "cluster" && length(fe)) {
    for (f in fe) {   # nested in the cluster: each FE level lies within one cluster
      nested <- all(tapply(df[[cl]], df[[f]], function(v) length(unique(v))) == 1)
      if (nested) Kfe_vcov <- Kfe_vcov - (length(unique(df[[f]])) - 1)
    }
  }
  fe_terms <- if (length(fe)) paste0("factor(", fe, ")") else character(0)
  rhs_ex <- c(exog, fe_terms)
  f_iv <- as.formula(paste(y, "~", paste(c(endog, rhs_ex), collapse = " + "), "|",
                           paste(c(inst, rhs_ex), collapse = " + ")))
  fit <- ivreg(f_iv, data = df)
  names_main <- c(exog, endog)
  b <- coef(fit)[names_main]
  k_all <- length(coef(fit))              # incl. intercept and dummies (full FE rank)
  k <- length(names_main)
  if (!length(fe)) k <- k + 1             # the intercept is a coefficient when there is no FE
  K <- k + if (type == "cluster") Kfe_vcov else Kfe_full
  V <- switch(type,
    iid = vcov(fit) * (n - k_all) / (n - K),
    hc1 = vcovHC(fit, type = "HC0") * n / (n - K),
    cluster = { G <- length(unique(df[[cl]])); vcovCL(fit, cluster = df[[cl]], type = "HC0", cadjust = FALSE) * G / (G - 1) * (n - 1) / (n - K) })
  se <- sqrt(diag(V))[names_main]
  for (t in names_main) { add(case, "estimate", t, b[[t]]); add(case, "std_error", t, se[[t]]) }
  add(case, "nobs", "", n); add(case, "k_fe", "", if (type == "cluster") Kfe_vcov else Kfe_full)

  # Partial out FE (+ intercept) and the exogenous regressors.
  P0 <- if (length(fe)) model.matrix(as.formula(paste("~", paste(fe_terms, collapse = "+"))), df) else matrix(1, n, 1)
  Pex <- cbind(P0, as.matrix(df[, exog, drop = FALSE]))
  part <- function(v) lm.fit(Pex, v)$residuals
  D <- sapply(endog, function(v) part(df[[v]])); D <- matrix(D, n)
  Z <- sapply(inst, function(v) part(df[[v]])); Z <- matrix(Z, n)
  yt <- part(df[[y]])
  K1 <- length(endog); L1 <- length(inst)
  L <- L1 + length(exog) + if (length(fe)) 0 else 1
  sdof <- if (type == "cluster") Kfe_vcov else Kfe_full
  clv <- if (type == "cluster") df[[cl]] else NULL
  G <- if (type == "cluster") length(unique(clv)) else NA

  # First stages: coefficients on instruments, partial R^2, partial F (Wald / L1 under the model's vcov).
  for (j in seq_len(K1)) {
    pi <- solve(crossprod(Z), crossprod(Z, D[, j]))
    e <- D[, j] - Z %*% pi
    Vp <- ols_vcov(Z, drop(e), type, clv, sdof + length(exog) + (if (length(fe)) 0 else 1), Kfe_full + length(exog) + (if (length(fe)) 0 else 1))
    Fst <- drop(t(pi) %*% solve(Vp, pi)) / L1
    pr2 <- 1 - sum(e^2) / sum(D[, j]^2)
    for (m in seq_len(L1)) add(case, paste0("fs_coef:", endog[j]), inst[m], pi[m])
    add(case, "fs_partial_r2", endog[j], pr2); add(case, "fs_partial_f", endog[j], Fst)
  }

  # Cragg-Donald and Anderson.
  kpl <- kp_rk(D, Z, kp_omega(D, Z, clv))
  r2 <- kpl$r2
  cd <- min(r2 / (1 - r2))
  add(case, "cd_f", "", cd * (n - L - sdof) / L1)
  add(case, "anderson_lm", "", n * min(r2))

  if (type != "iid") {
    Pi <- solve(crossprod(Z), crossprod(Z, D)); Vw <- D - Z %*% Pi
    kpw <- kp_rk(D, Z, kp_omega(Vw, Z, clv))
    kpF <- if (type == "cluster") kpw$stat / (n - 1) * (n - L - sdof) * (G - 1) / G / L1 else kpw$stat / n * (n - L - sdof) / L1
    add(case, "kp_lm", "", kpl$stat); add(case, "kp_wald_chi2", "", kpw$stat); add(case, "kp_wald_f", "", kpF)
    if (K1 == 1) {   # KP F = first-stage robust Wald F with fixest's factor (K = L + sdof)
      Fst1 <- as.numeric(rows[[which(sapply(rows, function(r) r$quantity == "fs_partial_f" && r$case == case))[1]]]$value)
      stopifnot(abs(kpF / Fst1 - 1) < 1e-10)
    }
    # Homoskedastic Omega reproduces Cragg-Donald (checks the SVD route, any K1).
    Sig <- crossprod(Vw) / n
    kph <- kp_rk(D, Z, kronecker(Sig, crossprod(Z) / n))
    stopifnot(abs(kph$stat / (n * cd) - 1) < 1e-8)
  }

  # Anderson-Rubin (b0 = 0): reduced form of y on Z.
  g <- solve(crossprod(Z), crossprod(Z, yt)); e <- drop(yt - Z %*% g)
  B <- solve(crossprod(Z))
  W0 <- switch(type,
    iid = drop(t(g) %*% solve(B * sum(e^2) / n, g)),
    hc1 = drop(t(g) %*% solve(B %*% meat(Z * e, NULL) %*% B, g)),
    cluster = drop(t(g) %*% solve(B %*% meat(Z * e, clv) %*% B, g)))
  arF <- if (type == "cluster") W0 / (n - 1) * (n - L - sdof) * (G - 1) / G / L1 else W0 / n * (n - L - sdof) / L1
  add(case, "ar_chi2", "", W0); add(case, "ar_f", "", arF)
  add(case, "ar_f_df2", "", if (type == "cluster") G - 1 else n - L - sdof)

  # Wu-Hausman by control function: add first-stage residuals to the structural equation (by OLS on
  # the partialled data) and Wald-test them, F = Wald / K1 with the model's vcov and K = K + K1.
  Vfs <- D - Z %*% solve(crossprod(Z), crossprod(Z, D))
  Xc <- cbind(D, Vfs)
  bc <- solve(crossprod(Xc), crossprod(Xc, yt)); ec <- drop(yt - Xc %*% bc)
  kx <- length(exog) + (if (length(fe)) 0 else 1)
  Vc <- ols_vcov(Xc, ec, type, clv, sdof + kx, Kfe_full + kx)
  idx <- (K1 + 1):(2 * K1)
  dwh <- drop(t(bc[idx]) %*% solve(Vc[idx, idx, drop = FALSE], bc[idx])) / K1
  add(case, "dwh_f", "", dwh)
}

# ---- Data 1: mpdta with constructed instruments (fixed seed; the data are written out) ----
mp <- read.csv("tests/reference/fe/mpdta_derived.csv")   # mpdta of the R package did, verbatim, plus derived columns
set.seed(20260417)
n <- nrow(mp)
mp$x1 <- rnorm(n)
mp$z1 <- rnorm(n); mp$z2 <- rnorm(n); mp$z3 <- rnorm(n)
v1 <- rnorm(n); v2 <- rnorm(n)
county_eff <- ave(rnorm(n), mp$countyreal)
mp$d1 <- 0.35 * mp$z1 + 0.15 * mp$z2 + 0.10 * mp$z3 + 0.3 * mp$x1 + county_eff + v1
mp$d2 <- 0.20 * mp$z1 + 0.30 * mp$z2 - 0.25 * mp$z3 + v2
u <- 0.6 * v1 + 0.3 * v2 + rnorm(n) * (1 + 0.5 * abs(mp$x1))   # endogenous and heteroskedastic
mp$y <- mp$lemp + 0.5 * mp$d1 - 0.3 * mp$d2 + 0.2 * mp$x1 + u
mp <- mp[, c("countyreal", "year", "lemp", "x1", "z1", "z2", "z3", "d1", "d2", "y")]
write.csv(mp, file.path(out, "mpdta_iv.csv"), row.names = FALSE)
mp <- read.csv(file.path(out, "mpdta_iv.csv"))   # use exactly what was written

fe2 <- c("countyreal", "year")
run_case("mp_1x1_cluster", mp, "y", "x1", "d1", "z1", fe2, "cluster", "countyreal")
run_case("mp_1x3_cluster", mp, "y", "x1", "d1", c("z1", "z2", "z3"), fe2, "cluster", "countyreal")
run_case("mp_1x3_hc1", mp, "y", "x1", "d1", c("z1", "z2", "z3"), fe2, "hc1")
run_case("mp_1x3_iid", mp, "y", "x1", "d1", c("z1", "z2", "z3"), fe2, "iid")
run_case("mp_2x3_cluster", mp, "y", "x1", c("d1", "d2"), c("z1", "z2", "z3"), fe2, "cluster", "countyreal")
run_case("mp_2x3_hc1", mp, "y", "x1", c("d1", "d2"), c("z1", "z2", "z3"), fe2, "hc1")
run_case("mp_1x2_year_cluster", mp, "y", character(0), "d1", c("z1", "z2"), "year", "cluster", "countyreal")

# ---- Data 2: Stock & Watson's cigarette demand, 1995 (AER::CigarettesSW) ----
data("CigarettesSW", package = "AER")
c95 <- subset(CigarettesSW, year == "1995")
cig <- data.frame(state = as.character(c95$state),
                  lpacks = log(c95$packs), lrprice = log(c95$price / c95$cpi),
                  lrincome = log(c95$income / c95$population / c95$cpi),
                  tdiff = (c95$taxs - c95$tax) / c95$cpi, rtax = c95$tax / c95$cpi)
write.csv(cig, file.path(out, "cigarettes1995.csv"), row.names = FALSE)
cig <- read.csv(file.path(out, "cigarettes1995.csv"))
run_case("cig_1x1_hc1", cig, "lpacks", "lrincome", "lrprice", "tdiff", character(0), "hc1")
run_case("cig_1x2_hc1", cig, "lpacks", "lrincome", "lrprice", c("tdiff", "rtax"), character(0), "hc1")
run_case("cig_1x2_iid", cig, "lpacks", "lrincome", "lrprice", c("tdiff", "rtax"), character(0), "iid")

# ---- Data 3: the synthetic panel (the study's IV specification), if present ----
if (file.exists(panel_path)) {
  pn <- read.csv(panel_path)
  ctrl <- c("econ_density", "infrastructure", "gov_intervention", "fdi", "avg_wage")
  pn <- pn[complete.cases(pn[, c("resilience", "treat", "iv_tel_internet", ctrl)]), ]
  run_case("panel_cluster", pn, "resilience", ctrl, "treat", "iv_tel_internet", c("city_code", "year"), "cluster", "city_code")
} else message("skipping the synthetic panel: ", panel_path, " not found")

write.csv(do.call(rbind, rows), file.path(out, "iv_reference.csv"), row.names = FALSE, quote = TRUE)
