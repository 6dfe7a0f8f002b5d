# Reference values for the spatial module (Compendium.Econometrics.Spatial): weights from coordinates,
# Moran's I (global and local), and the fixed-effects spatial Durbin / lag / error models by maximum
# likelihood with LeSage–Pace impacts.
#
# Two sources of truth, cross-checked against each other inside this script:
#   (1) spdep / spatialreg (Debian r-cran-spdep 1.2-7, r-cran-spatialreg 1.2-6):
#       * moran.test (normality and randomisation), localmoran (defaults: conditional, mlvar);
#       * lagsarlm / errorsarlm (method "eigen", analytical "asy" variance) on Columbus (COL.OLD,
#         Anselin 1988) and, for the panel, the direct approach: lagsarlm with Durbin terms on the
#         unit-demeaned data with year dummies (= the two-way FE likelihood with the unit effects
#         concentrated out and the time effects as parameters), on the block-diagonal W = I_T ⊗ W;
#       * the Lee–Yu (2010) transformation approach, estimated by lagsarlm / errorsarlm on the data
#         transformed with the orthonormal eigenvectors F_T (T × (T-1)) and F_n (n × (n-1)) of the
#         demeaning matrices, with W* = F_n' W F_n: an independent check of (2);
#       * impacts() (exact, from the eigenvalues of W) with simulated standard errors.
#   (2) The formulas themselves, written out below (what the C# code implements), with the
#       maximum found by solving the first-order condition of the concentrated log-likelihood to
#       machine precision (uniroot on its analytical derivative), not by optimize()'s tolerance.
# The CSV holds (2); the script stops if (1) and (2) differ by more than 1e-7 relative (1e-6 for
# spatialreg's own optimiser on the largest problems, see `tol_sr`), and records the largest
# deviation as keys `check:*`.
#
# Conventions (formulas, with N* the effective number of observations):
#   y_t = rho W y_t + X_t beta + W X_t theta + mu + alpha_t + eps_t, data sorted by year, then unit.
#   Lee–Yu transformation (two-way FE, row-standardised W): N* = (n-1)(T-1),
#     logL = -N*/2 log(2 pi s2) + (T-1)[log|I - rho W| - log(1 - rho)] - RSS/(2 s2),
#     RSS on the two-way demeaned y, Wy, X, WX (demeaning W y after lagging: J W J = J W).
#     Unit FE only: N* = n(T-1), Jacobian (T-1) log|I-rho W|; time FE only: N* = (n-1)T,
#     Jacobian T[log|I-rho W| - log(1-rho)]; no FE: N* = nT, Jacobian T log|I-rho W|, intercept in X.
#   Direct approach: N* = nT, Jacobian T log|I - rho W| (the fixed effects as parameters);
#     Lee–Yu (2010) bias correction theta1 = theta + Sigma^-1 (a/T + b/n), theta = (beta, rho, s2),
#     Sigma = information/(nT) at the uncorrected estimate, a = (0, tr(G)/n, 1/(2 s2)) when there are
#     unit effects, b = (0, 1/(1-rho), 1/(2 s2)) when there are time effects, G = W (I - rho W)^-1;
#     standard errors from the direct information matrix at the corrected estimate.
#   Information (expected, Lee–Yu 2010 / spatialreg "asy"), lag model:
#     bb = X'X/s2, b.rho = X'(G X b)/s2, rho.rho = |J G X b|^2/s2 + m [tr(G*G*) + tr(G*'G*)],
#     rho.s2 = m tr(G*)/s2, s2.s2 = N*/(2 s2^2), with m the Jacobian multiplier and G* = G on the
#     (n-1)-dimensional space orthogonal to the constant when time effects are transformed out:
#     tr(G*) = tr G - 1/(1-rho), tr(G*G*) = tr(G G) - 1/(1-rho)^2, tr(G*'G*) = tr(G'G) - |1'G|^2/n.
#   Error model: the same with H = W (I - lambda W)^-1 and bb = X'B'B X/s2, b.lambda = 0.
#   Impacts (LeSage & Pace 2009): S = I - rho W, direct = [beta tr(S^-1) + theta tr(S^-1 W)]/n,
#     total = [beta 1'S^-1 1 + theta 1'S^-1 W 1]/n, indirect = total - direct; delta-method SEs from
#     the analytical gradient in (beta, theta, rho) and the corresponding block of the variance.
#
# usage: Rscript spatial_reference.R REPO_ROOT OUTDIR
# writes OUTDIR/spatial_reference.csv (case,key,value; 17 significant digits), OUTDIR/columbus.csv,
# OUTDIR/columbus_weights.csv. Runs ~5 minutes (dense 3,396 x 3,396 solves inside spatialreg).
suppressPackageStartupMessages({ library(spdep); library(spatialreg); library(Matrix) })
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2) stop("usage: Rscript spatial_reference.R REPO_ROOT OUTDIR")
root <- args[1]; outdir <- args[2]
set.seed(20260112)
# SPATIAL_SKIP_SPATIALREG=1 skips the slow spatialreg cross-checks of the panel (the values written are the same)
heavy <- Sys.getenv("SPATIAL_SKIP_SPATIALREG") != "1"
# SPATIAL_FULL_CHECKS=1 also runs the spatialreg cross-checks on the 3,396-row panel (dense nT x nT solves:
# an hour or more on a busy 2-core machine); by default they run on a small panel (below), which checks
# the same formulas
full_checks <- Sys.getenv("SPATIAL_FULL_CHECKS") == "1"

out <- list()
put <- function(case, key, value) out[[length(out) + 1]] <<- data.frame(case = case, key = key,
  value = formatC(as.numeric(value), digits = 17, format = "g"), stringsAsFactors = FALSE)
checks <- list()
check <- function(case, what, a, b, tol) {
  dev <- max(abs(a - b) / pmax(abs(b), 1e-8))
  checks[[length(checks) + 1]] <<- sprintf("%s %s %.3g", case, what, dev)
  put(case, paste0("check:", what), dev)
  if (!(dev < tol)) stop(sprintf("%s: %s deviates from spatialreg by %.3g", case, what, dev))
}
tol_sr <- 1e-6

# ---------------------------------------------------------------- weights
gc_dist <- function(lat, lon, R = 6371.0088) {
  r <- pi / 180; la <- lat * r; lo <- lon * r; n <- length(lat)
  D <- matrix(0, n, n)
  for (i in seq_len(n)) {
    h <- sin((la - la[i]) / 2)^2 + cos(la[i]) * cos(la) * sin((lo - lo[i]) / 2)^2
    D[i, ] <- 2 * R * asin(pmin(1, sqrt(h)))
  }
  D
}
w_idw <- function(D, power = 1, cutoff = Inf) {
  W <- ifelse(D <= cutoff, D^(-power), 0); diag(W) <- 0; W
}
w_knn <- function(D, k) {
  n <- nrow(D); W <- matrix(0, n, n)
  for (i in seq_len(n)) { d <- D[i, ]; d[i] <- Inf; W[i, order(d, seq_len(n))[1:k]] <- 1 }
  W
}
rowstd <- function(W) W / rowSums(W)

# ---------------------------------------------------------------- formula implementation
eig_of <- function(W) {
  ev <- eigen(W, only.values = TRUE)$values
  if (is.complex(ev) && max(abs(Im(ev))) < 1e-10 * max(Mod(ev))) ev <- Re(ev)
  ev
}
logdet <- function(ev, r) sum(log(Mod(1 - r * ev)))
dlogdet <- function(ev, r) -sum(Re(ev / (1 - r * ev)))
rho_bounds <- function(ev) { re <- Re(ev); c(1 / min(re), 1 / max(re)) }

# demeaning of an nT vector (year-major: block t holds units 1..n)
dm <- function(v, n, T, unit, time) {
  m <- matrix(v, n, T)
  if (unit && time) m <- m - rowMeans(m) - rep(colMeans(m), each = n) + mean(m)
  else if (unit) m <- m - rowMeans(m)
  else if (time) m <- m - rep(colMeans(m), each = n)
  as.vector(m)
}
lagW <- function(W, v, n, T) as.vector(W %*% matrix(v, n, T))
centre_t <- function(v, n, T) { m <- matrix(v, n, T); as.vector(m - rep(colMeans(m), each = n)) }

# multipliers of a specification: N*, Jacobian multiplier m, whether ln(1-rho) is subtracted
spec_of <- function(n, T, unit, time, approach) {
  # J: centre per period (time effects partialled out); Jtr: traces on the space orthogonal to the
  # constant (only the transformation approach removes that dimension from the Jacobian)
  if (approach == "direct" || (!unit && !time)) return(list(N = n * T, m = T, minus1 = FALSE, J = time, Jtr = FALSE))
  list(N = (n - time) * (T - unit), m = T - unit, minus1 = time, J = time, Jtr = time)
}

solve_root <- function(f, df, lo, hi) {
  grid <- seq(lo, hi, length.out = 401)[-c(1, 401)]
  vals <- sapply(grid, f); i <- which.max(vals)
  a <- grid[max(i - 1, 1)]; b <- grid[min(i + 1, length(grid))]
  if (df(a) * df(b) > 0) stop("at_boundary: the likelihood is maximised at the edge of the admissible interval")
  uniroot(df, c(a, b), tol = 1e-15, maxiter = 1000)$root
}

# Traces used by the information matrix; G = W S^-1.
traces <- function(W, r, s) {
  n <- nrow(W); G <- W %*% solve(diag(n) - r * W)
  trG <- sum(diag(G)); trGG <- sum(G * t(G)); trGtG <- sum(G * G)
  if (s$Jtr) {
    trG <- trG - 1 / (1 - r); trGG <- trGG - 1 / (1 - r)^2; trGtG <- trGtG - sum(colSums(G)^2) / n
  }
  list(G = G, trG = trG, trGG = trGG, trGtG = trGtG, trG_full = sum(diag(G)))
}

# Lag model (SAR; SDM when X holds the W X columns). y, X raw (nT, year-major).
fit_lag <- function(y, X, W, n, T, unit, time, approach) {
  s <- spec_of(n, T, unit, time, approach); ev <- eig_of(W)
  yt <- dm(y, n, T, unit, time); wyt <- dm(lagW(W, y, n, T), n, T, unit, time)
  Xt <- apply(X, 2, dm, n = n, T = T, unit = unit, time = time)
  q <- qr(Xt); e0 <- qr.resid(q, yt); ed <- qr.resid(q, wyt)
  b0 <- qr.coef(q, yt); bd <- qr.coef(q, wyt)
  rss <- function(r) sum((e0 - r * ed)^2)
  jac <- function(r) s$m * (logdet(ev, r) - if (s$minus1) log(1 - r) else 0)
  djac <- function(r) s$m * (dlogdet(ev, r) + if (s$minus1) 1 / (1 - r) else 0)
  f <- function(r) -s$N / 2 * log(rss(r)) + jac(r)
  df <- function(r) s$N * sum(ed * (e0 - r * ed)) / rss(r) + djac(r)
  bnd <- rho_bounds(ev); rho <- solve_root(f, df, bnd[1], bnd[2])
  beta <- b0 - rho * bd; s2 <- rss(rho) / s$N
  ll <- -s$N / 2 * (log(2 * pi * s2) + 1) + jac(rho)
  info <- function(beta, rho, s2) {
    tr <- traces(W, rho, s); k <- length(beta)
    gxb <- lagW(tr$G, Xt %*% beta, n, T); if (s$J) gxb <- centre_t(gxb, n, T)
    I <- matrix(0, k + 2, k + 2)
    I[1:k, 1:k] <- crossprod(Xt) / s2
    I[1:k, k + 1] <- I[k + 1, 1:k] <- crossprod(Xt, gxb) / s2
    I[k + 1, k + 1] <- sum(gxb^2) / s2 + s$m * (tr$trGG + tr$trGtG)
    I[k + 1, k + 2] <- I[k + 2, k + 1] <- s$m * tr$trG / s2
    I[k + 2, k + 2] <- s$N / (2 * s2^2)
    list(I = I, trG_full = tr$trG_full)
  }
  theta <- c(beta, rho, s2); inf <- info(beta, rho, s2)
  if (approach == "direct" && (unit || time)) {
    k <- length(beta); Sig <- inf$I / (n * T)
    a <- c(rep(0, k), inf$trG_full / n, 1 / (2 * s2)); b <- c(rep(0, k), 1 / (1 - rho), 1 / (2 * s2))
    corr <- (if (unit) a / T else 0) + (if (time) b / n else 0)
    theta <- theta + solve(Sig, corr)
    inf <- info(theta[1:k], theta[k + 1], theta[k + 2])
  }
  k <- ncol(X); V <- solve(inf$I)
  nm <- c(colnames(X), "rho", "sigma2"); names(theta) <- nm; dimnames(V) <- list(nm, nm)
  list(coef = theta, V = V, loglik = ll, N = s$N, ev = ev, uncorrected = c(beta, rho, s2))
}

# Concentrated (profile) log-likelihood of the lag model at a given rho: beta and s2 at their optimum given rho.
profile_lag <- function(y, X, W, n, T, unit, time, approach, r) {
  s <- spec_of(n, T, unit, time, approach); ev <- eig_of(W)
  yt <- dm(y, n, T, unit, time); wyt <- dm(lagW(W, y, n, T), n, T, unit, time)
  Xt <- apply(X, 2, dm, n = n, T = T, unit = unit, time = time)
  q <- qr(Xt); rss <- sum((qr.resid(q, yt) - r * qr.resid(q, wyt))^2)
  -s$N / 2 * (log(2 * pi * rss / s$N) + 1) + s$m * (logdet(ev, r) - if (s$minus1) log(1 - r) else 0)
}

# Error model (SEM).
fit_err <- function(y, X, W, n, T, unit, time, approach) {
  s <- spec_of(n, T, unit, time, approach); ev <- eig_of(W)
  yt <- dm(y, n, T, unit, time); Xt <- apply(X, 2, dm, n = n, T = T, unit = unit, time = time)
  Wy <- lagW(W, yt, n, T); WX <- apply(Xt, 2, lagW, W = W, n = n, T = T)
  cen <- function(v) if (s$J) centre_t(v, n, T) else v
  Wy <- cen(Wy); WX <- apply(WX, 2, cen)
  at <- function(l) {
    yB <- yt - l * Wy; XB <- Xt - l * WX; q <- qr(XB)
    list(beta = qr.coef(q, yB), e = qr.resid(q, yB))
  }
  jac <- function(r) s$m * (logdet(ev, r) - if (s$minus1) log(1 - r) else 0)
  djac <- function(r) s$m * (dlogdet(ev, r) + if (s$minus1) 1 / (1 - r) else 0)
  f <- function(l) -s$N / 2 * log(sum(at(l)$e^2)) + jac(l)
  df <- function(l) {
    a <- at(l); u <- yt - Xt %*% a$beta; Wu <- cen(lagW(W, u, n, T))
    s$N * sum(a$e * Wu) / sum(a$e^2) + djac(l)
  }
  bnd <- rho_bounds(ev); lam <- solve_root(f, df, bnd[1], bnd[2])
  a <- at(lam); beta <- a$beta; s2 <- sum(a$e^2) / s$N
  ll <- -s$N / 2 * (log(2 * pi * s2) + 1) + jac(lam)
  info <- function(beta, lam, s2) {
    tr <- traces(W, lam, s); k <- length(beta); XB <- Xt - lam * WX
    I <- matrix(0, k + 2, k + 2)
    I[1:k, 1:k] <- crossprod(XB) / s2
    I[k + 1, k + 1] <- s$m * (tr$trGG + tr$trGtG)
    I[k + 1, k + 2] <- I[k + 2, k + 1] <- s$m * tr$trG / s2
    I[k + 2, k + 2] <- s$N / (2 * s2^2)
    list(I = I, trG_full = tr$trG_full)
  }
  theta <- c(beta, lam, s2); inf <- info(beta, lam, s2)
  if (approach == "direct" && (unit || time)) {
    k <- length(beta); Sig <- inf$I / (n * T)
    a <- c(rep(0, k), inf$trG_full / n, 1 / (2 * s2)); b <- c(rep(0, k), 1 / (1 - lam), 1 / (2 * s2))
    corr <- (if (unit) a / T else 0) + (if (time) b / n else 0)
    theta <- theta + solve(Sig, corr)
    inf <- info(theta[1:k], theta[k + 1], theta[k + 2])
  }
  V <- solve(inf$I); nm <- c(colnames(X), "lambda", "sigma2"); names(theta) <- nm; dimnames(V) <- list(nm, nm)
  list(coef = theta, V = V, loglik = ll, N = s$N, ev = ev, uncorrected = c(beta, lam, s2))
}

# LeSage–Pace impacts with delta-method SEs. xs: regressor names; durbin: whether W*x exists.
impacts_delta <- function(fit, W, xs, durbin) {
  n <- nrow(W); rho <- fit$coef[["rho"]]
  Si <- solve(diag(n) - rho * W); SiW <- Si %*% W
  m1 <- sum(diag(Si)) / n; m2 <- sum(diag(SiW)) / n
  m1p <- sum(SiW * t(Si)) / n; m2p <- sum(SiW * t(SiW)) / n           # tr(S^-1 W S^-1), tr((S^-1 W)^2)
  t1 <- sum(Si) / n; t2 <- sum(SiW) / n
  t1p <- sum(SiW %*% Si) / n; t2p <- sum(SiW %*% SiW) / n
  res <- list()
  for (x in xs) {
    b <- fit$coef[[x]]; th <- if (durbin) fit$coef[[paste0("W*", x)]] else 0
    idx <- c(x, if (durbin) paste0("W*", x), "rho"); V <- fit$V[idx, idx]
    dir <- b * m1 + th * m2; tot <- b * t1 + th * t2
    gd <- c(m1, if (durbin) m2, b * m1p + th * m2p); gt <- c(t1, if (durbin) t2, b * t1p + th * t2p)
    gi <- gt - gd
    res[[x]] <- c(direct = dir, indirect = tot - dir, total = tot,
                  direct_se = sqrt(drop(gd %*% V %*% gd)), indirect_se = sqrt(drop(gi %*% V %*% gi)),
                  total_se = sqrt(drop(gt %*% V %*% gt)))
  }
  res
}

put_fit <- function(case, fit, n, T) {
  for (nm in names(fit$coef)) {
    put(case, paste0("coef:", nm, ":estimate"), fit$coef[[nm]])
    put(case, paste0("coef:", nm, ":std_error"), sqrt(fit$V[nm, nm]))
  }
  for (a in names(fit$coef)) for (b in names(fit$coef)) put(case, paste0("vcov:", a, ":", b), fit$V[a, b])
  put(case, "loglik", fit$loglik); put(case, "nobs", n * T); put(case, "n", n); put(case, "T", T)
  put(case, "effective_nobs", fit$N)
}
put_impacts <- function(case, imp, prefix = "impact") {
  for (x in names(imp)) for (k in names(imp[[x]])) put(case, paste0(prefix, ":", x, ":", k), imp[[x]][[k]])
}

# spatialreg's summary of impacts (exact point estimates, simulated SEs)
sr_impacts <- function(fit, xs, R, ...) {
  im <- impacts(fit, R = R, ...)
  sm <- summary(im, zstats = TRUE, short = TRUE)
  pe <- cbind(direct = im$res$direct, indirect = im$res$indirect, total = im$res$total)
  se <- cbind(sm$semat)
  rownames(pe) <- rownames(se) <- attr(im, "bnames")
  lapply(setNames(xs, xs), function(x) c(direct = unname(pe[x, 1]), indirect = unname(pe[x, 2]),
    total = unname(pe[x, 3]), direct_se = unname(se[x, 1]), indirect_se = unname(se[x, 2]),
    total_se = unname(se[x, 3])))
}

# Orthonormal eigenvectors of the demeaning matrix I_m - 11'/m for eigenvalue 1 (Lee–Yu's F).
Fmat <- function(m) { e <- eigen(diag(m) - matrix(1 / m, m, m), symmetric = TRUE); e$vectors[, 1:(m - 1)] }

# ================================================================= Columbus (cross-section, published)
data(oldcol, package = "spdep")
col <- data.frame(unit = as.integer(rownames(COL.OLD)), CRIME = COL.OLD$CRIME, INC = COL.OLD$INC,
                  HOVAL = COL.OLD$HOVAL, X = COL.OLD$X, Y = COL.OLD$Y)
write.csv(col, file.path(outdir, "columbus.csv"), row.names = FALSE)
ids <- col$unit
wl <- do.call(rbind, lapply(seq_along(COL.nb), function(i)
  if (length(COL.nb[[i]]) > 0 && COL.nb[[i]][1] != 0) data.frame(unit_i = ids[i], unit_j = ids[COL.nb[[i]]], weight = 1)))
write.csv(wl, file.path(outdir, "columbus_weights.csv"), row.names = FALSE)
lwc <- nb2listw(COL.nb, style = "W"); Wc <- listw2mat(lwc); nc <- nrow(Wc)

for (rnd in c(FALSE, TRUE)) {
  mt <- moran.test(col$CRIME, lwc, randomisation = rnd)
  v <- if (rnd) "randomisation" else "normal"
  if (!rnd) { put("columbus_moran", "I", mt$estimate[[1]]); put("columbus_moran", "expected", mt$estimate[[2]]) }
  put("columbus_moran", paste0("variance_", v), mt$estimate[[3]])
  put("columbus_moran", paste0("z_", v), mt$statistic[[1]]); put("columbus_moran", paste0("p_", v), mt$p.value)
}
lm_c <- localmoran(col$CRIME, lwc)
for (i in seq_len(nc)) {
  for (j in 1:5) put("columbus_local", sprintf("local:%d:%s", ids[i], c("Ii", "E", "Var", "Z", "p")[j]), lm_c[i, j])
  put("columbus_local", sprintf("local:%d:quadrant", ids[i]), as.integer(attr(lm_c, "quadr")$mean[i]))
}

Xc <- cbind("(Intercept)" = 1, INC = col$INC, HOVAL = col$HOVAL)
srcon <- list(pre_eig = eigenw(lwc), tol.opt = 1e-12)
# SAR
f_sar <- fit_lag(col$CRIME, Xc, Wc, nc, 1, FALSE, FALSE, "leeyu")
sr <- lagsarlm(CRIME ~ INC + HOVAL, data = col, listw = lwc, method = "eigen", control = srcon)
check("columbus_sar", "coef", f_sar$coef, c(sr$coefficients, sr$rho, sr$s2), tol_sr)
check("columbus_sar", "se", sqrt(diag(f_sar$V)), sqrt(diag(sr$resvar))[c(3:5, 2, 1)], tol_sr)
put_fit("columbus_sar", f_sar, nc, 1)
imp_s <- impacts_delta(f_sar, Wc, c("INC", "HOVAL"), FALSE)
sim_s <- sr_impacts(sr, c("INC", "HOVAL"), R = 20000, listw = lwc)
check("columbus_sar", "impacts", unlist(lapply(imp_s, `[`, 1:3)), unlist(lapply(sim_s, `[`, 1:3)), tol_sr)
put_impacts("columbus_sar", imp_s); put_impacts("columbus_sar", sim_s, "impact_sim")
put("columbus_sar", "published:rho", 0.431); put("columbus_sar", "published:(Intercept)", 45.079)
put("columbus_sar", "published:INC", -1.032); put("columbus_sar", "published:HOVAL", -0.266)
# SEM
f_sem <- fit_err(col$CRIME, Xc, Wc, nc, 1, FALSE, FALSE, "leeyu")
se_ <- errorsarlm(CRIME ~ INC + HOVAL, data = col, listw = lwc, method = "eigen", control = srcon)
check("columbus_sem", "coef", f_sem$coef, c(se_$coefficients, se_$lambda, se_$s2), tol_sr)
check("columbus_sem", "se", sqrt(diag(f_sem$V))[1:4], c(sqrt(diag(se_$resvar))[3:5], se_$lambda.se), tol_sr)
put_fit("columbus_sem", f_sem, nc, 1)
put("columbus_sem", "published:lambda", 0.562); put("columbus_sem", "published:(Intercept)", 59.893)
put("columbus_sem", "published:INC", -0.941); put("columbus_sem", "published:HOVAL", -0.302)
# SDM
WXc <- cbind(Xc, "W*INC" = as.vector(Wc %*% col$INC), "W*HOVAL" = as.vector(Wc %*% col$HOVAL))
f_sdm <- fit_lag(col$CRIME, WXc, Wc, nc, 1, FALSE, FALSE, "leeyu")
sd_ <- lagsarlm(CRIME ~ INC + HOVAL, data = col, listw = lwc, type = "mixed", method = "eigen", control = srcon)
check("columbus_sdm", "coef", f_sdm$coef, c(sd_$coefficients, sd_$rho, sd_$s2), tol_sr)
check("columbus_sdm", "se", sqrt(diag(f_sdm$V)), sqrt(diag(sd_$resvar))[c(3:7, 2, 1)], tol_sr)
put_fit("columbus_sdm", f_sdm, nc, 1)
imp_c <- impacts_delta(f_sdm, Wc, c("INC", "HOVAL"), TRUE)
sim_c <- sr_impacts(sd_, c("INC", "HOVAL"), R = 20000, listw = lwc)
check("columbus_sdm", "impacts", unlist(lapply(imp_c, `[`, 1:3)), unlist(lapply(sim_c, `[`, 1:3)), tol_sr)
put_impacts("columbus_sdm", imp_c); put_impacts("columbus_sdm", sim_c, "impact_sim")

# spatialreg cross-checks of the panel formulas (slow: dense nT x nT solves inside spatialreg).
spatialreg_panel_checks <- function(y, X, XX, W, W0, ev, n, T, xs, di, ly, sar, sem, tag) {
  k2 <- ncol(XX)
  # direct approach: Durbin lagsarlm on unit-demeaned data with year dummies, W = I_T ⊗ W
  dd <- data.frame(y = dm(y, n, T, TRUE, FALSE), apply(X, 2, dm, n = n, T = T, unit = TRUE, time = FALSE),
                   year = factor(rep(seq_len(T), each = n)))
  lwT <- mat2listw(kronecker(diag(T), W0), style = "W")
  evT <- rep(ev, T)
  # intercept + T-1 year dummies (impacts() assumes a model with an intercept)
  fml <- as.formula(paste("y ~", paste(xs, collapse = " + "), "+ year"))
  t0 <- Sys.time()
  srd <- lagsarlm(fml, data = dd, listw = lwT, Durbin = as.formula(paste("~", paste(xs, collapse = " + "))),
                  method = "eigen", control = list(pre_eig = evT, tol.opt = 1e-12))
  cat("spatialreg direct SDM:", format(Sys.time() - t0), "\n")
  rn <- c(xs, paste0("lag.", xs))
  check(paste0("sdm_", tag, "_direct"), "uncorrected_coef", di$uncorrected, c(srd$coefficients[rn], srd$rho, srd$s2), tol_sr)
  # resvar inverts the full information (dummies included); its (beta, rho, s2) block is the
  # partialled information of the formulas at the uncorrected estimate
  Vsr <- srd$resvar[c(rn, "rho", "sigma"), c(rn, "rho", "sigma")]
  s <- spec_of(n, T, TRUE, TRUE, "direct"); tr <- traces(W, di$uncorrected[k2 + 1], s)
  Xt <- apply(XX, 2, dm, n = n, T = T, unit = TRUE, time = TRUE); b <- di$uncorrected[1:k2]; s2 <- di$uncorrected[k2 + 2]
  gxb <- centre_t(lagW(tr$G, Xt %*% b, n, T), n, T)
  I <- matrix(0, k2 + 2, k2 + 2); I[1:k2, 1:k2] <- crossprod(Xt) / s2
  I[1:k2, k2 + 1] <- I[k2 + 1, 1:k2] <- crossprod(Xt, gxb) / s2
  I[k2 + 1, k2 + 1] <- sum(gxb^2) / s2 + s$m * (tr$trGG + tr$trGtG)
  I[k2 + 1, k2 + 2] <- I[k2 + 2, k2 + 1] <- s$m * tr$trG / s2; I[k2 + 2, k2 + 2] <- s$N / (2 * s2^2)
  V_un <- solve(I); dimnames(V_un) <- list(names(di$coef), names(di$coef))
  check(paste0("sdm_", tag, "_direct"), "uncorrected_se", sqrt(diag(V_un)), sqrt(diag(Vsr)), tol_sr)
  sim <- sr_impacts(srd, xs, R = 20000, evalues = evT)
  imp_un <- impacts_delta(list(coef = setNames(di$uncorrected, names(di$coef)), V = V_un), W, xs, TRUE)
  check(paste0("sdm_", tag, "_direct"), "uncorrected_impacts", unlist(lapply(imp_un, `[`, 1:3)), unlist(lapply(sim, `[`, 1:3)), tol_sr)
  put_impacts(paste0("sdm_", tag, "_direct"), imp_un, "uncorrected_impact")
  put_impacts(paste0("sdm_", tag, "_direct"), sim, "uncorrected_impact_sim")

  # Lee–Yu transformation: lagsarlm / errorsarlm on the F-transformed data, W* = F_n' W F_n
  Fn <- Fmat(n); FT <- Fmat(T)
  tf <- function(v) as.vector(t(Fn) %*% matrix(v, n, T) %*% FT)
  dl <- data.frame(y = tf(y), apply(XX, 2, tf)); names(dl) <- c("y", paste0("x", seq_len(k2)))
  Ws <- t(Fn) %*% W %*% Fn
  # mat2listw refuses negative weights and self-links, both present in W*: build the listw by hand
  # (neighbours = the non-zero entries of each row of I_(T-1) ⊗ W*, the diagonal included)
  Wk <- kronecker(diag(T - 1), Ws)
  nbk <- lapply(seq_len(nrow(Wk)), function(i) as.integer(which(Wk[i, ] != 0)))
  class(nbk) <- "nb"; attr(nbk, "region.id") <- as.character(seq_len(nrow(Wk)))
  lws <- list(style = "B", neighbours = nbk, weights = lapply(seq_len(nrow(Wk)), function(i) Wk[i, nbk[[i]]]))
  class(lws) <- c("listw", "nb")
  stopifnot(max(abs(as.matrix(as(lws, "CsparseMatrix")) - Wk)) == 0)
  pe <- rep(eig_of(Ws), T - 1)
  rhs <- function(d) as.formula(paste("y ~", paste(names(d)[-1], collapse = " + "), "- 1"))
  t0 <- Sys.time()
  srl <- lagsarlm(rhs(dl), data = dl, listw = lws, method = "eigen", control = list(pre_eig = pe, tol.opt = 1e-12))
  cat("spatialreg Lee-Yu SDM:", format(Sys.time() - t0), "\n")
  check(paste0("sdm_", tag, "_leeyu"), "coef", ly$coef, c(srl$coefficients, srl$rho, srl$s2), tol_sr)
  check(paste0("sdm_", tag, "_leeyu"), "se", sqrt(diag(ly$V)), sqrt(diag(srl$resvar))[c(3:(k2 + 2), 2, 1)], tol_sr)
  check(paste0("sdm_", tag, "_leeyu"), "loglik", ly$loglik, srl$LL, tol_sr)
  dls <- dl[, 1:(length(xs) + 1)]; k <- length(xs)
  srs <- lagsarlm(rhs(dls), data = dls, listw = lws, method = "eigen", control = list(pre_eig = pe, tol.opt = 1e-12))
  check(paste0("sar_", tag, "_leeyu"), "coef", sar$coef, c(srs$coefficients, srs$rho, srs$s2), tol_sr)
  check(paste0("sar_", tag, "_leeyu"), "se", sqrt(diag(sar$V)), sqrt(diag(srs$resvar))[c(3:(k + 2), 2, 1)], tol_sr)
  sre <- errorsarlm(rhs(dls), data = dls, listw = lws, method = "eigen", control = list(pre_eig = pe, tol.opt = 1e-12))
  check(paste0("sem_", tag, "_leeyu"), "coef", sem$coef, c(sre$coefficients, sre$lambda, sre$s2), tol_sr)
  check(paste0("sem_", tag, "_leeyu"), "se", c(sqrt(diag(sem$V))[1:k], sqrt(sem$V["lambda", "lambda"])),
        c(sqrt(diag(sre$resvar))[3:(k + 2)], sre$lambda.se), tol_sr)
}

# ================================================================= synthetic panel (two-way FE)
pan <- read.csv(file.path(root, "data/synthetic/panel.csv"), stringsAsFactors = FALSE)
pan <- pan[order(pan$year, pan$city_code), ]
cities <- pan[pan$year == min(pan$year), c("city_code", "latitude", "longitude")]
n <- nrow(cities); years <- sort(unique(pan$year)); T <- length(years)
stopifnot(nrow(pan) == n * T, all(pan$city_code == rep(cities$city_code, T)))
D <- gc_dist(cities$latitude, cities$longitude)
raw <- list(idw500 = w_idw(D, 1, 500), knn5 = w_knn(D, 5), idw = w_idw(D, 1))
xs <- c("treat", "econ_density", "infrastructure", "gov_intervention", "fdi", "avg_wage")
y <- pan$resilience
X <- as.matrix(pan[, xs])
codes <- cities$city_code

for (wn in names(raw)) {
  W0 <- raw[[wn]]; lw <- mat2listw(W0, style = "W"); W <- listw2mat(lw)
  cs <- paste0("weights_", wn)
  put(cs, "nonzero", sum(W0 > 0)); put(cs, "sum_raw", sum(W0)); put(cs, "min_neighbours", min(rowSums(W0 > 0)))
  for (j in which(W0[1, ] > 0)[1:3]) put(cs, sprintf("w:%d:%d", codes[1], codes[j]), W[1, j])
  for (j in which(W0[100, ] > 0)[1:3]) put(cs, sprintf("w:%d:%d", codes[100], codes[j]), W[100, j])
  ev <- eig_of(W); put(cs, "eigen_min", min(Re(ev))); put(cs, "eigen_max", max(Re(ev)))

  # Moran's I of the index by year
  for (yr in years) {
    x <- pan$resilience[pan$year == yr]
    for (rnd in c(FALSE, TRUE)) {
      mt <- moran.test(x, lw, randomisation = rnd); v <- if (rnd) "randomisation" else "normal"
      if (!rnd) {
        put(paste0("moran_", wn), sprintf("%d:I", yr), mt$estimate[[1]])
        put(paste0("moran_", wn), sprintf("%d:expected", yr), mt$estimate[[2]])
      }
      put(paste0("moran_", wn), sprintf("%d:variance_%s", yr, v), mt$estimate[[3]])
      put(paste0("moran_", wn), sprintf("%d:z_%s", yr, v), mt$statistic[[1]])
      put(paste0("moran_", wn), sprintf("%d:p_%s", yr, v), mt$p.value)
    }
  }
  if (wn == "knn5") {
    x <- pan$resilience[pan$year == max(years)]; lm_p <- localmoran(x, lw)
    for (i in seq_len(n)) {
      for (j in 1:5) put("local_knn5_2023", sprintf("local:%d:%s", codes[i], c("Ii", "E", "Var", "Z", "p")[j]), lm_p[i, j])
      put("local_knn5_2023", sprintf("local:%d:quadrant", codes[i]), as.integer(attr(lm_p, "quadr")$mean[i]))
    }
  }

  # SDM: Lee–Yu (default) and direct with bias correction
  WX <- apply(X, 2, lagW, W = W, n = n, T = T); colnames(WX) <- paste0("W*", xs)
  XX <- cbind(X, WX)
  ly <- tryCatch(fit_lag(y, XX, W, n, T, TRUE, TRUE, "leeyu"), error = function(e) conditionMessage(e))
  if (is.character(ly)) {
    # Lee–Yu likelihood increasing up to rho -> 1 (inverse distance without cut-off): record that and its profile
    stopifnot(startsWith(ly, "at_boundary"))
    put(paste0("sdm_", wn, "_leeyu"), "at_boundary", 1)
    for (r in c(-0.5, 0, 0.5, 0.9, 0.99))
      put(paste0("sdm_", wn, "_leeyu"), sprintf("profile:%s", format(r)), profile_lag(y, XX, W, n, T, TRUE, TRUE, "leeyu", r))
  } else {
    put_fit(paste0("sdm_", wn, "_leeyu"), ly, n, T)
    put_impacts(paste0("sdm_", wn, "_leeyu"), impacts_delta(ly, W, xs, TRUE))
  }
  for (r in c(-0.5, 0, 0.5, 0.9, 0.99))
    put(paste0("sdm_", wn, "_direct"), sprintf("profile:%s", format(r)), profile_lag(y, XX, W, n, T, TRUE, TRUE, "direct", r))
  di <- fit_lag(y, XX, W, n, T, TRUE, TRUE, "direct")
  put_fit(paste0("sdm_", wn, "_direct"), di, n, T)
  put_impacts(paste0("sdm_", wn, "_direct"), impacts_delta(di, W, xs, TRUE))
  un <- di$uncorrected; names(un) <- names(di$coef)
  for (nm in names(un)) put(paste0("sdm_", wn, "_direct"), paste0("uncorrected:", nm), un[[nm]])
  cat(wn, "rho lee-yu", if (is.list(ly)) ly$coef[["rho"]] else ly, "direct", di$coef[["rho"]], "\n")

  if (wn == "idw500") {
    # SAR and SEM under the same W, both methods; one-way (unit) specifications of the formulas
    sar <- fit_lag(y, X, W, n, T, TRUE, TRUE, "leeyu")
    put_fit("sar_idw500_leeyu", sar, n, T); put_impacts("sar_idw500_leeyu", impacts_delta(sar, W, xs, FALSE))
    sar_d <- fit_lag(y, X, W, n, T, TRUE, TRUE, "direct"); put_fit("sar_idw500_direct", sar_d, n, T)
    put_impacts("sar_idw500_direct", impacts_delta(sar_d, W, xs, FALSE))
    sem <- fit_err(y, X, W, n, T, TRUE, TRUE, "leeyu"); put_fit("sem_idw500_leeyu", sem, n, T)
    sem_d <- fit_err(y, X, W, n, T, TRUE, TRUE, "direct"); put_fit("sem_idw500_direct", sem_d, n, T)
    u1 <- fit_lag(y, XX, W, n, T, TRUE, FALSE, "leeyu"); put_fit("sdm_idw500_unit_leeyu", u1, n, T)
    u2 <- fit_lag(y, XX, W, n, T, TRUE, FALSE, "direct"); put_fit("sdm_idw500_unit_direct", u2, n, T)
    if (heavy && full_checks) spatialreg_panel_checks(y, X, XX, W, W0, ev, n, T, xs, di, ly, sar, sem, "idw500")
  }
}

# ================================================================= small panel for the spatialreg checks
# Columbus rook W (n = 49), T = 6, a staggered treatment d and a regressor x1, unit and period effects,
# y drawn from an SDM with rho = 0.4; the formulas (both approaches, SAR, SEM) against spatialreg.
if (heavy) {
  set.seed(42)
  ns <- nc; Ts <- 6
  first <- c(sample(3:5, 15, replace = TRUE), rep(Inf, ns - 15))
  d <- as.numeric(rep(seq_len(Ts), each = ns) >= rep(first, Ts))
  Xs <- cbind(d = d, x1 = rnorm(ns * Ts))
  WXs <- apply(Xs, 2, lagW, W = Wc, n = ns, T = Ts); colnames(WXs) <- paste0("W*", colnames(Xs))
  XXs <- cbind(Xs, WXs)
  eta <- XXs %*% c(1, 0.5, 0.3, -0.2) + rep(rnorm(ns), Ts) + rep(rnorm(Ts), each = ns) + rnorm(ns * Ts, sd = 0.5)
  ys <- as.vector(solve(kronecker(diag(Ts), diag(ns) - 0.4 * Wc), eta))
  Wc0 <- listw2mat(nb2listw(COL.nb, style = "B"))
  spatialreg_panel_checks(ys, Xs, XXs, Wc, Wc0, eig_of(Wc), ns, Ts, colnames(Xs),
    fit_lag(ys, XXs, Wc, ns, Ts, TRUE, TRUE, "direct"), fit_lag(ys, XXs, Wc, ns, Ts, TRUE, TRUE, "leeyu"),
    fit_lag(ys, Xs, Wc, ns, Ts, TRUE, TRUE, "leeyu"), fit_err(ys, Xs, Wc, ns, Ts, TRUE, TRUE, "leeyu"), "small")
}

res <- do.call(rbind, out)
stopifnot(!any(duplicated(res[, c("case", "key")])))
write.csv(res, file.path(outdir, "spatial_reference.csv"), row.names = FALSE, quote = FALSE)
cat(paste(unlist(checks), collapse = "\n"), "\n")
