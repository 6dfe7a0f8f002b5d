# Reference values for the restricted wild cluster bootstrap (WCR) with full enumeration
# (Compendium.Econometrics.Inference.WildClusterBootstrap), by formula in base R.
#
# Run from the repository root:
#   Rscript tests/reference/did/wild_reference.R
# Reads tests/reference/did/castle.csv and data/synthetic/panel.csv; writes
# tests/reference/did/wild_reference.csv (case, quantity, term, value; 17 significant digits) and
# tests/reference/did/wild_panel_subset.csv (the synthetic-panel rows of case 2, so the C# test reads
# exactly the rows R used).
#
# fwildclusterboot is not installable here; its WCR algorithm (Roodman, MacKinnon, Nielsen & Webb 2019,
# "Fast and wild", Stata Journal 19(1)) is rebuilt as follows, for H0: beta_j = r in
# y = x_j beta_j + W gamma + fixed effects + u, clusters g = 1..G:
#  * restricted fit: u~(r) = residuals of y - r x_j on W and the fixed effects;
#  * bootstrap samples y*_b = y - u~(r) + v_gb u~(r), v_gb Rademacher (+-1); with 2^G <= B all 2^G sign
#    vectors are used (full enumeration), as fwildclusterboot does;
#  * t*_b = (b*_b - r) / se*_b, t = (b - r) / se, se from the cluster-robust (CR1) variance with
#    fwildclusterboot's factor G/(G-1) (N-1)/(N-k), k = number of slope coefficients (the factor cancels
#    in p-values and intervals);
#  * p(r) = share of draws with |t*_b| > |t| (strict, fwildclusterboot's "two-tailed"; the draws v = +-1
#    reproduce |t| and are not counted: a tie is |t*_b| <= |t| (1 + 1e-9));
#  * confidence interval by test inversion, {r : p(r) >= alpha}, alpha = 0.05: for each side s = -1, +1,
#    step out from b by s k se for k = 1, 2, 4, ..., 2^30 until p < alpha, then bisect between the last
#    r with p >= alpha and the first with p < alpha until they differ by <= 1e-12 max(1, |r|); the
#    endpoint is the midpoint of the final bracket.
# p(r) is evaluated in closed form: with z = X~ a_j (X~ = regressors with the fixed effects partialled
# out, a_j = row j of (X~'X~)^-1), c_h(r) = sum_{i in h} z_i u~_i(r) and
# K_gh(r) = sum_{i in g} z_i [M u~(r) 1{cluster h}]_i (M = annihilator of regressors and fixed effects),
# t*_b = c(r)'v_b / sqrt(ssc ||K(r) v_b||^2). The closed form is checked below against brute force
# (one explicit dummy-variable regression per draw) at two values of r.
out_dir <- "tests/reference/did"
fmt <- function(x) sprintf("%.17g", x)
rows <- list()
add <- function(case, quantity, term, value)
  rows[[length(rows) + 1]] <<- data.frame(case = case, quantity = quantity, term = as.character(term), value = fmt(value))

enumerate <- function(G) {
  V <- as.matrix(expand.grid(rep(list(c(1, -1)), G)))
  unname(t(V))                                      # G x 2^G
}

setup <- function(d, y, x, w, fes, cl) {
  F <- model.matrix(as.formula(paste("~", paste0("factor(", fes, ")", collapse = " + "))), d)
  MZ <- function(v) as.vector(lm.fit(F, v)$residuals)
  X <- as.matrix(d[, c(x, w), drop = FALSE])
  Xt <- apply(X, 2, MZ); yt <- MZ(d[[y]])
  XtXi <- solve(crossprod(Xt))
  b <- as.vector(XtXi %*% crossprod(Xt, yt))
  uh <- yt - as.vector(Xt %*% b)
  z <- as.vector(Xt %*% XtXi[1, ])
  cl <- d[[cl]]; G <- length(unique(cl)); N <- nrow(d); k <- ncol(X)
  ssc <- G / (G - 1) * (N - 1) / (N - k)
  se <- sqrt(ssc * sum(tapply(z * uh, cl, sum)^2))
  Wt <- Xt[, -1, drop = FALSE]
  MW <- function(v) if (ncol(Wt) == 0) v else as.vector(v - Wt %*% solve(crossprod(Wt), crossprod(Wt, v)))
  u0 <- MW(yt); m <- MW(Xt[, 1])                    # u~(r) = u0 - r m
  Mfull <- function(v) { vt <- MZ(v); as.vector(vt - Xt %*% (XtXi %*% crossprod(Xt, vt))) }
  levs <- sort(unique(cl))
  Kof <- function(u) sapply(levs, function(h) tapply(z * Mfull(ifelse(cl == h, u, 0)), cl, sum)[as.character(levs)])
  list(b = b[1], se = se, ssc = ssc, G = G, N = N, k = k, levs = levs, cl = cl,
       c0 = as.vector(tapply(z * u0, cl, sum)[as.character(levs)]),
       c1 = as.vector(tapply(z * m, cl, sum)[as.character(levs)]),
       K0 = Kof(u0), K1 = Kof(m), F = F, X = X, y = d[[y]], u0full = NULL)
}

p_fast <- function(s, r, V) {
  cc <- s$c0 - r * s$c1; K <- s$K0 - r * s$K1
  tb <- as.vector(crossprod(cc, V)) / sqrt(s$ssc * colSums((K %*% V)^2))
  t0 <- (s$b - r) / s$se
  mean(abs(tb) > abs(t0) * (1 + 1e-9))
}

p_brute <- function(s, r, V) {
  Xf <- cbind(s$X, s$F)
  Wf <- cbind(s$X[, -1, drop = FALSE], s$F)
  rf <- lm.fit(Wf, s$y - r * s$X[, 1]); ut <- rf$residuals
  yfit <- s$y - ut
  tstat <- function(yy) {
    f <- lm.fit(Xf, yy)
    keep <- !is.na(f$coefficients)
    A <- solve(crossprod(Xf[, keep]))
    sc <- rowsum(Xf[, keep] * f$residuals, s$cl)
    Vc <- s$ssc * A %*% crossprod(sc) %*% A
    (f$coefficients[1] - r) / sqrt(Vc[1, 1])
  }
  t0 <- tstat(s$y)
  gi <- match(s$cl, s$levs)
  tb <- apply(V, 2, function(v) tstat(yfit + v[gi] * ut))
  mean(abs(tb) > abs(t0) * (1 + 1e-9))
}

ci_side <- function(s, V, side, alpha = 0.05) {
  inside <- s$b; outside <- NA
  for (e in 0:30) {
    r <- s$b + side * 2^e * s$se
    if (p_fast(s, r, V) < alpha) { outside <- r; break }
    inside <- r
  }
  if (is.na(outside)) return(side * Inf)
  repeat {
    mid <- (inside + outside) / 2
    if (abs(outside - inside) <= 1e-12 * max(1, abs(mid))) return(mid)
    if (p_fast(s, mid, V) >= alpha) inside <- mid else outside <- mid
  }
}

run_case <- function(case, d, y, x, w, fes, cl) {
  s <- setup(d, y, x, w, fes, cl)
  V <- enumerate(s$G)
  for (r in c(0, s$b / 2)) stopifnot(abs(p_fast(s, r, V) - p_brute(s, r, V)) < 1e-12)
  add(case, "estimate", x, s$b); add(case, "std_error", x, s$se)
  add(case, "t", x, s$b / s$se)
  add(case, "draws", x, ncol(V)); add(case, "clusters", x, s$G)
  add(case, "p", "0", p_fast(s, 0, V))
  add(case, "p", "half_estimate", p_fast(s, s$b / 2, V))
  add(case, "p", "twice_estimate", p_fast(s, 2 * s$b, V))
  add(case, "ci", "low", ci_side(s, V, -1)); add(case, "ci", "high", ci_side(s, V, 1))
}

castle <- read.csv(file.path(out_dir, "castle.csv"))
castle12 <- castle[castle$sid <= 13, ]              # 12 states (sid 9 is absent): 4,096 draws
run_case("castle12", castle12, "l_homicide", "post", character(0), c("sid", "year"), "sid")

panel <- read.csv("data/synthetic/panel.csv")
prov <- c("Beijing", "Tianjin", "Hebei", "Shanghai", "Guangdong", "Henan", "Chongqing",
          "Liaoning", "Inner Mongolia", "Guizhou", "Shanxi", "Shandong")
sub <- panel[panel$province %in% prov, c("city_code", "province", "year", "resilience", "treat",
                                          "econ_density", "gov_intervention")]
stopifnot(length(unique(sub$province)) == 12)
write.csv(sub, file.path(out_dir, "wild_panel_subset.csv"), row.names = FALSE)
sub <- read.csv(file.path(out_dir, "wild_panel_subset.csv"))   # the values the C# test reads
run_case("panel_provinces", sub, "resilience", "treat", c("econ_density", "gov_intervention"),
         c("city_code", "year"), "province")

out <- do.call(rbind, rows)
write.csv(out, file.path(out_dir, "wild_reference.csv"), row.names = FALSE, quote = FALSE)
cat("wrote", nrow(out), "values\n")
