# Reference values for three fixest conventions of Compendium's estimation engine (issue 9):
#
#  1. Two-way clustering (province + year) on an unbalanced city-year panel, as fixest computes it:
#     V = Gmin/(Gmin - 1) (n - 1)/(n - K) (V_province + V_year - V_province^year) (Cameron, Gelbach
#     and Miller 2011, HC0 meat), K counting a fixed effect nested in a cluster variable as 1; and
#     fixest's repair (vcov.fixest, vcov_fix = TRUE -> mat_posdef_fix, fixest 0.12.2 R/miscfuns.R):
#     only when a VARIANCE ON THE DIAGONAL is negative, V is rebuilt from its eigen decomposition
#     with every eigenvalue below 1e-10 set to 1e-10. A matrix with a negative eigenvalue but a
#     positive diagonal is left as it is. Two cases: `cl2_posdiag` (negative eigenvalue, positive
#     diagonal: no repair) and `cl2_negdiag` (a negative variance: repaired).
#  2. A regressor with a large offset, x_off = 1e7 + N(0, 1), with city and year fixed effects
#     (`offset_*`): it must be kept (adding a constant to a regressor never changes which regressors
#     are kept); lm() is run on x_off - 1e7, which is the same model (the fixed effects absorb the
#     constant) without lm's own collinearity test seeing the offset. Also without fixed effects
#     (`offset_nofe_iid`: intercept + x_off).
#  3. The Cragg-Donald Wald F of y_iv ~ x1 | city + year | endo ~ z1 + z2 (`cd_iid`), the iid statistic of
#     ivreg2 with the fixed effects entered as dummies: F = r2/(1 - r2) (N - L - K_fe)/L1, r the
#     smallest canonical correlation of endo and (z1, z2) after partialling out x1 and the dummies,
#     L = 3 (x1, z1, z2), L1 = 2, K_fe = levels(city) + levels(year) - 1 (every absorbed parameter,
#     whatever the variance estimator of the coefficients). fixest's own fitstat(, "cd") uses
#     (N - K1 - L1 - 1)/L1 instead (ignores the exogenous regressors and the fixed effects); it is
#     written too (`fixest_cd`) for the record, not as the target.
#
# Values are computed by hand with base R (lm on factor dummies) + sandwich, and, when R fixest
# 0.12.2 is installed (library folder from tests/reference/use_fixest.R: FIXEST_LIB, else ~/.cache/r-fixest-lib), checked against
# fixest::feols (fixef.tol = 1e-11) at 1e-8 relative (stopifnot).
#
# Run from the repository root:  Rscript tests/reference/fe_conventions/conventions_reference.R
# Writes tests/reference/fe_conventions/{cl2_panel.csv, conventions_reference.csv}.
suppressPackageStartupMessages(library(sandwich))
source("tests/reference/use_fixest.R")
has_fixest <- use_fixest(required = FALSE)
if (has_fixest) setFixest_nthreads(1)
out <- "tests/reference/fe_conventions"
rows <- list()
put <- function(case, key, value) rows[[length(rows) + 1]] <<- data.frame(case = case, key = key,
  value = sprintf("%.17g", as.numeric(value)), stringsAsFactors = FALSE)
rel_close <- function(a, b, tol = 1e-8) all(abs(a - b) <= tol * pmax(abs(a), abs(b), max(abs(b)) * 1e-6))

# ---------------------------------------------------------------- data
# 12 provinces with 3-7 cities each, years 2011-2020, about 20% of city-years missing (unbalanced,
# every city keeps at least 3 years so there are no singletons).
set.seed(2)   # the first seed for which both two-way cluster cases below occur
np <- 12; years <- 2011:2020; nt <- length(years)
prov <- rep(seq_len(np), sample(3:7, np, replace = TRUE)); nc <- length(prov)
d <- expand.grid(year = years, city = seq_len(nc)); d$province <- prov[d$city]
keep <- runif(nrow(d)) > 0.2
for (c in seq_len(nc)) { i <- which(d$city == c); if (sum(keep[i]) < 3) keep[i[1:3]] <- TRUE }
d <- d[keep, c("city", "province", "year")]
n <- nrow(d); t <- d$year - 2010; p <- d$province
ac <- rnorm(nc); ay <- rnorm(nt)
u_pt <- matrix(rnorm(np * nt), np, nt)          # province-year shocks
w_pt <- matrix(sample(c(-1, 1), np * nt, replace = TRUE), np, nt)   # random signs
chk <- ifelse((p + t) %% 2 == 0, 1, -1)          # checkerboard sign over province x year
d$x1 <- round(u_pt[cbind(p, t)] + 0.5 * ac[d$city] + rnorm(n), 6)
d$x2 <- round(rnorm(n) + 0.1 * t, 6)
d$x3 <- round(w_pt[cbind(p, t)] + 0.3 * rnorm(n), 6)
d$x4 <- round(rnorm(n), 6)
e <- 0.8 * u_pt[cbind(p, t)] + rnorm(n)
d$y <- round(ac[d$city] + ay[t] + 0.5 * d$x1 - 0.3 * d$x2 + 0.2 * d$x3 + e, 6)
# y_neg: scores of x3 change sign with the checkerboard, so province sums and year sums cancel and the
# intersection term dominates: the two-way variance of x3 comes out negative.
d$y_neg <- round(ac[d$city] + ay[t] + 0.5 * d$x1 + 0.2 * d$x3 + 2 * chk * w_pt[cbind(p, t)] + 0.3 * rnorm(n), 6)
d$x_off <- sprintf("%.6f", 1e7 + rnorm(n))
d$z1 <- round(rnorm(n), 6); d$z2 <- round(rnorm(n) + 0.3 * u_pt[cbind(p, t)], 6)
v <- rnorm(n)
d$endo <- round(0.25 * d$z1 + 0.15 * d$z2 + 0.3 * d$x1 + 0.5 * ac[d$city] + v, 6)
d$y_iv <- round(0.7 * d$endo + 0.4 * d$x1 + ac[d$city] + ay[t] + 0.6 * v + rnorm(n), 6)
path <- file.path(out, "cl2_panel.csv")
write.csv(d, path, row.names = FALSE, quote = FALSE)
d <- read.csv(path)                                 # every value as the C# tests will read it
d$fcity <- factor(d$city); d$fyear <- factor(d$year)

# ---------------------------------------------------------------- helpers
coef_out <- function(case, est, V, dft) {
  se <- sqrt(diag(V)); tt <- est / se; pv <- 2 * pt(-abs(tt), dft); q <- qt(0.975, dft)
  for (j in names(est)) {
    put(case, paste0("coef:", j, ":estimate"), est[j]); put(case, paste0("coef:", j, ":std_error"), se[j])
    put(case, paste0("coef:", j, ":t"), tt[j]); put(case, paste0("coef:", j, ":p"), pv[j])
    put(case, paste0("coef:", j, ":ci_low"), est[j] - q * se[j]); put(case, paste0("coef:", j, ":ci_high"), est[j] + q * se[j])
  }
  for (a in names(est)) for (b in names(est)) put(case, paste0("vcov:", a, ":", b), V[a, b])
  put(case, "nobs", length(residuals_current)); put(case, "df_t", dft)
}
residuals_current <- NULL

# fixest's mat_posdef_fix, applied as vcov.fixest does (only when a diagonal entry is negative).
fixest_repair <- function(V) {
  if (!any(diag(V) < 0)) return(V)
  e <- eigen(V, symmetric = TRUE)
  R <- tcrossprod(e$vectors %*% diag(pmax(e$values, 1e-10), nrow(V)), e$vectors)
  dimnames(R) <- dimnames(V); R
}

cluster2_case <- function(case, yname) {
  xs <- c("x1", "x2", "x3", "x4")
  m <- lm(as.formula(paste(yname, "~ fcity + fyear +", paste(xs, collapse = " + "))), data = d)
  residuals_current <<- residuals(m)
  k <- length(xs); n <- nrow(d)
  K <- k + 1                                       # city nested in province, year in year: each counts 1
  G <- c(province = length(unique(d$province)), year = length(unique(d$year))); Gmin <- min(G)
  V0 <- vcovCL(m, cluster = d[, c("province", "year")], type = "HC0", cadjust = FALSE, multi0 = FALSE)[xs, xs]
  V <- V0 * Gmin / (Gmin - 1) * (n - 1) / (n - K)
  ev <- eigen(V, symmetric = TRUE)$values
  put(case, "min_eigenvalue_unrepaired", min(ev)); put(case, "min_diagonal_unrepaired", min(diag(V)))
  Vf <- fixest_repair(V)
  put(case, "repaired", as.numeric(!identical(Vf, V))); put(case, "K", K)
  put(case, "clusters:province", G[["province"]]); put(case, "clusters:year", G[["year"]])
  coef_out(case, coef(m)[xs], Vf, Gmin - 1)
  if (has_fixest) {
    f <- suppressMessages(feols(as.formula(paste(yname, "~", paste(xs, collapse = " + "), "| city + year")), d,
                                cluster = ~province + year, fixef.tol = 1e-11))
    stopifnot(rel_close(coef(f)[xs], coef(m)[xs]), rel_close(vcov(f)[xs, xs], Vf))
  }
  list(ev = ev, diag = diag(V))
}

# ---------------------------------------------------------------- 1. two-way clustering
a <- cluster2_case("cl2_posdiag", "y")
stopifnot(min(a$ev) < 0, all(a$diag > 0))            # a negative eigenvalue that fixest leaves alone
b <- cluster2_case("cl2_negdiag", "y_neg")
stopifnot(any(b$diag < 0))                           # a negative variance that fixest repairs

# ---------------------------------------------------------------- 2. offset regressor
d$x_c <- d$x_off - 1e7
m <- lm(y ~ fcity + fyear + x_c + x1 + x2, data = d); residuals_current <- residuals(m)
n <- nrow(d); K <- 3 + nlevels(d$fcity) + nlevels(d$fyear) - 1
est <- coef(m)[c("x_c", "x1", "x2")]; names(est) <- c("x_off", "x1", "x2")
Vi <- vcov(m)[c("x_c", "x1", "x2"), c("x_c", "x1", "x2")] * (n - m$rank) / (n - K); dimnames(Vi) <- list(names(est), names(est))
coef_out("offset_iid", est, Vi, n - K); put("offset_iid", "K", K)
Kc <- 3 + nlevels(d$fyear)    # K = 3 + (cities + years - 1) - (cities - 1): the city FE is nested in the city cluster
Vc <- vcovCL(m, cluster = ~city, type = "HC0", cadjust = FALSE)[c("x_c", "x1", "x2"), c("x_c", "x1", "x2")]
Gc <- nlevels(d$fcity); Vc <- Vc * Gc / (Gc - 1) * (n - 1) / (n - Kc); dimnames(Vc) <- list(names(est), names(est))
coef_out("offset_cluster", est, Vc, Gc - 1); put("offset_cluster", "K", Kc)
m0 <- lm(y ~ x_c + x1, data = d); residuals_current <- residuals(m0)
est0 <- coef(m0); names(est0) <- c("(Intercept)", "x_off", "x1"); est0[1] <- est0[1] - 1e7 * est0[2]
# intercept of the uncentred model: a + b (x_off - 1e7) = (a - 1e7 b) + b x_off; its variance follows
A <- rbind(c(1, -1e7, 0), c(0, 1, 0), c(0, 0, 1))
V0 <- A %*% vcov(m0) %*% t(A); dimnames(V0) <- list(names(est0), names(est0))
coef_out("offset_nofe_iid", est0, V0, n - 3); put("offset_nofe_iid", "K", 3)
if (has_fixest) {
  f <- feols(y ~ x_off + x1 + x2 | city + year, d, fixef.tol = 1e-11)
  stopifnot(rel_close(coef(f), est), rel_close(vcov(f, "iid"), Vi), rel_close(vcov(f, cluster = ~city), Vc))
}

# ---------------------------------------------------------------- 3. Cragg-Donald F (iid)
part <- function(v) residuals(lm(as.formula(paste(v, "~ fcity + fyear + x1")), data = d))
Dt <- cbind(part("endo")); Zt <- cbind(part("z1"), part("z2"))
r2 <- min(cancor(Dt, Zt, xcenter = FALSE, ycenter = FALSE)$cor)^2
N <- nrow(d); L <- 3; L1 <- 2; Kfe <- nlevels(d$fcity) + nlevels(d$fyear) - 1
df2 <- N - L - Kfe
put("cd_iid", "cd_f", r2 / (1 - r2) * df2 / L1); put("cd_iid", "df1", L1); put("cd_iid", "df2", df2)
put("cd_iid", "r2_min", r2); put("cd_iid", "K_fe", Kfe); put("cd_iid", "nobs", N)
fixest_cd <- ((N - 1 - L1 - 1) / L1) / ((1 - r2) / r2)
put("cd_iid", "fixest_cd", fixest_cd)
if (has_fixest) {
  f <- feols(y_iv ~ x1 | city + year | endo ~ z1 + z2, d, fixef.tol = 1e-11)
  stopifnot(rel_close(fitstat(f, "cd", simplify = TRUE), fixest_cd, 1e-8))
}

res <- do.call(rbind, rows)
write.csv(res, file.path(out, "conventions_reference.csv"), row.names = FALSE, quote = FALSE)
cat(sprintf("%d values; fixest cross-check: %s\n", nrow(res), if (has_fixest) "done" else "skipped (fixest not installed)"))
cat(sprintf("cl2_posdiag: min eigenvalue %.3g, min diagonal %.3g; cl2_negdiag: min diagonal %.3g\n",
            min(a$ev), min(a$diag), min(b$diag)))
