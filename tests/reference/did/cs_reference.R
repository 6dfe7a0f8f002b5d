# Reference values for the Callaway & Sant'Anna (2021) group-time ATT estimator
# (Compendium.Econometrics.Staggered.CallawaySantAnna), rebuilt by formula in base R.
#
# Run from the repository root:
#   Rscript tests/reference/did/cs_reference.R
# Reads tests/reference/did/mpdta.csv and data/synthetic/panel.csv; writes
# tests/reference/did/cs_reference.csv (long format: case, quantity, term, value; 17 significant digits).
#
# The R packages `did` and `DRDID` are not installable here, so their computations are written out
# below from the papers and the packages' documented algorithm (did 2.x att_gt/aggte, DRDID 1.x):
#  * cells: varying base period -> for every g and every period t > first period, base = t - 1 for
#    pre-treatment cells (t < g) and g - 1 for post-treatment cells; universal base period -> base
#    g - 1 for every t, the cell (g, g - 1) reported as 0 with zero influence function.
#  * comparison units: never treated (G = 0), or not yet treated: G = 0 or G > max(t, base), G != g.
#  * 2x2 estimators on the units of group g and the comparison group, with dY = Y_t - Y_base and
#    covariates X (with intercept) taken in the earlier of the two periods:
#      reg (Heckman, Ichimura & Todd 1997; DRDID::reg_did_panel): OLS of dY on X in comparison units,
#         ATT = mean(dY - X b | D = 1);
#      ipw (Hajek-normalised Abadie 2005; DRDID::std_ipw_did_panel): logit p(X) of D on X,
#         w1 = D, w0 = p (1 - D)/(1 - p), ATT = sum w1 dY / sum w1 - sum w0 dY / sum w0;
#      dr  (Sant'Anna & Zhao 2020, "traditional" locally efficient; DRDID::drdid_panel):
#         the ipw weights applied to dY - X b.
#    Propensity scores capped at 1 - 1e-6; comparison units with p >= 0.995 get weight 0 (DRDID trimming).
#    Influence functions as in DRDID (estimation effect of b and of the logit included), scaled by
#    n / n_cell to the whole sample of n units (zero for units outside the cell).
#  * V = IF'IF / n, se = sqrt(diag(V) / n) (analytical, clustered by unit).
#  * Wald pre-test: W = n a' V^-1 a over pre-treatment cells (t < g) with non-zero variance, chi2(q).
#  * aggregations (did::aggte): pg = share of all units in group g;
#      simple   : sum over post cells (t >= g) of pg ATT / sum pg;
#      dynamic  : for each e = t - g, sum pg ATT / sum pg over cells with t - g = e; overall = mean over e >= 0;
#      group    : for each g, mean of its post cells; overall = sum pg_g ATT_g / sum pg_g;
#      calendar : for each t >= min g, sum pg ATT / sum pg over post cells at t; overall = mean over t;
#    influence functions: weighted sums of the cell IFs plus the estimated-weights term (did's wif())
#    for simple, dynamic(e), calendar(t) and the group overall; none for group(g) and the means.
suppressMessages(library(stats))
out_dir <- "tests/reference/did"
fmt <- function(x) sprintf("%.17g", x)
rows <- list()
add <- function(case, quantity, term, value)
  rows[[length(rows) + 1]] <<- data.frame(case = case, quantity = quantity, term = as.character(term), value = fmt(value))

logit_fit <- function(X, D) {
  fit <- glm.fit(X, D, family = binomial(), control = glm.control(epsilon = 1e-15, maxit = 100))
  stopifnot(fit$converged)
  as.vector(fit$fitted.values)
}

# One 2x2 cell: returns ATT and the influence function (length n_cell, DRDID scaling).
two_by_two <- function(y1, y0, D, X, method) {
  n <- length(D); dY <- y1 - y0; w <- rep(1, n)
  if (method %in% c("reg", "dr")) {
    C <- D == 0
    b <- qr.solve(X[C, , drop = FALSE], dY[C])
    out <- as.vector(X %*% b)
    wols <- w * (1 - D)
    XpX <- crossprod(wols * X, X) / n
    alr_ols <- (wols * (dY - out) * X) %*% solve(XpX)
  }
  if (method %in% c("ipw", "dr")) {
    ps <- pmin(logit_fit(X, D), 1 - 1e-6)
    trim <- rep(TRUE, n); trim[D == 0] <- ps[D == 0] < 0.995
    W <- ps * (1 - ps) * w
    H <- solve(crossprod(X * W, X)) * n
    alr_ps <- (w * (D - ps) * X) %*% H
  }
  if (method == "reg") {
    wt <- w * D
    att_t <- wt * dY; att_c <- wt * out
    eta_t <- mean(att_t) / mean(wt); eta_c <- mean(att_c) / mean(wt)
    inf_t <- (att_t - wt * eta_t) / mean(wt)
    inf_c <- ((att_c - wt * eta_c) + alr_ols %*% colMeans(wt * X)) / mean(wt)
    return(list(att = eta_t - eta_c, inf = as.vector(inf_t - inf_c)))
  }
  wt <- trim * w * D
  wc <- trim * w * ps * (1 - D) / (1 - ps)
  if (method == "ipw") {
    att_t <- wt * dY; att_c <- wc * dY
    eta_t <- mean(att_t) / mean(wt); eta_c <- mean(att_c) / mean(wc)
    inf_t <- (att_t - wt * eta_t) / mean(wt)
    inf_c <- ((att_c - wc * eta_c) + alr_ps %*% colMeans(wc * (dY - eta_c) * X)) / mean(wc)
    return(list(att = eta_t - eta_c, inf = as.vector(inf_t - inf_c)))
  }
  r <- dY - out
  att_t <- wt * r; att_c <- wc * r
  eta_t <- mean(att_t) / mean(wt); eta_c <- mean(att_c) / mean(wc)
  inf_t <- ((att_t - wt * eta_t) - alr_ols %*% colMeans(wt * X)) / mean(wt)
  inf_c <- ((att_c - wc * eta_c) + alr_ps %*% colMeans(wc * (r - eta_c) * X) -
            alr_ols %*% colMeans(wc * X)) / mean(wc)
  list(att = eta_t - eta_c, inf = as.vector(inf_t - inf_c))
}

att_gt <- function(d, y, id, time, gname, covariates = character(0), method = "reg",
                   control = "never", base = "varying") {
  d <- d[order(d[[id]], d[[time]]), ]
  tlist <- sort(unique(d[[time]]))
  ids <- sort(unique(d[[id]]))
  n <- length(ids)
  Ymat <- matrix(d[[y]], nrow = n, byrow = TRUE)          # units x periods (balanced panel)
  stopifnot(nrow(d) == n * length(tlist))
  G <- d[[gname]][d[[time]] == tlist[1]]
  Xper <- lapply(seq_along(tlist), function(k) {
    dk <- d[d[[time]] == tlist[k], ]
    cbind(1, as.matrix(dk[, covariates, drop = FALSE]))
  })
  glist <- sort(unique(G[G > 0]))
  glist <- glist[glist > tlist[1]]
  cells <- list(); inf <- list()
  for (g in glist) {
    pg_idx <- max(which(tlist < g))
    tidx <- if (base == "varying") 2:length(tlist) else seq_along(tlist)
    for (k in tidx) {
      tt <- tlist[k]
      b <- if (tt >= g || base == "universal") pg_idx else k - 1
      if (base == "universal" && b == k) {
        cells[[length(cells) + 1]] <- c(g, tt, 0); inf[[length(inf) + 1]] <- rep(0, n); next
      }
      C <- if (control == "never") G == 0 else (G == 0 | (G > tlist[max(k, b)] & G != g))
      keep <- which(G == g | C)
      D <- as.numeric(G[keep] == g)
      X <- Xper[[min(k, b)]][keep, , drop = FALSE]
      r <- two_by_two(Ymat[keep, k], Ymat[keep, b], D, X, method)
      full <- rep(0, n); full[keep] <- r$inf * n / length(keep)
      cells[[length(cells) + 1]] <- c(g, tt, r$att); inf[[length(inf) + 1]] <- full
    }
  }
  cells <- do.call(rbind, cells)
  list(group = cells[, 1], t = cells[, 2], att = cells[, 3], inf = do.call(cbind, inf), n = n, G = G)
}

se_of <- function(f, n) sqrt(mean(f^2) / n)

wif <- function(keepers, pg, G, group) {
  Spg <- sum(pg[keepers])
  centered <- sapply(keepers, function(k) as.numeric(G == group[k]) - pg[k])
  centered <- matrix(centered, ncol = length(keepers))
  centered / Spg - rowSums(centered) %*% t(pg[keepers] / Spg^2)
}

agg_if <- function(res, which, w, pg = NULL, use_wif = TRUE) {
  f <- res$inf[, which, drop = FALSE] %*% w
  if (use_wif) f <- f + wif(which, pg, res$G, res$group) %*% res$att[which]
  as.vector(f)
}

record <- function(case, res) {
  n <- res$n; inf <- res$inf
  V <- crossprod(inf) / n
  se <- sqrt(diag(V) / n)
  se[se <= sqrt(.Machine$double.eps) * 10] <- NA
  for (j in seq_along(res$att)) {
    key <- paste0(res$group[j], ":", res$t[j])
    add(case, "att", key, res$att[j])
    if (!is.na(se[j])) add(case, "se", key, se[j])
  }
  pre <- which(res$group > res$t & !is.na(se))
  W <- n * t(res$att[pre]) %*% solve(V[pre, pre]) %*% res$att[pre]
  add(case, "pretest", "W", W); add(case, "pretest", "df", length(pre))
  add(case, "pretest", "p", 1 - pchisq(W, length(pre)))

  glist <- sort(unique(res$group))
  pgg <- sapply(glist, function(g) mean(res$G == g))
  pg <- pgg[match(res$group, glist)]
  post <- which(res$group <= res$t)
  # simple
  f <- agg_if(res, post, pg[post] / sum(pg[post]), pg)
  add(case, "simple", "att", sum(res$att[post] * pg[post]) / sum(pg[post]))
  add(case, "simple", "se", se_of(f, n))
  # dynamic
  e_all <- res$t - res$group
  eseq <- sort(unique(e_all))
  att_e <- c(); if_e <- list()
  for (e in eseq) {
    we <- which(e_all == e)
    att_e <- c(att_e, sum(res$att[we] * pg[we]) / sum(pg[we]))
    if_e[[length(if_e) + 1]] <- agg_if(res, we, pg[we] / sum(pg[we]), pg)
    s <- se_of(if_e[[length(if_e)]], n)
    add(case, "dynamic", paste0(e, ":att"), tail(att_e, 1))
    if (s > sqrt(.Machine$double.eps) * 10) add(case, "dynamic", paste0(e, ":se"), s)
  }
  if_e <- do.call(cbind, if_e)
  epos <- eseq >= 0
  add(case, "dynamic", "overall:att", mean(att_e[epos]))
  add(case, "dynamic", "overall:se", se_of(if_e[, epos, drop = FALSE] %*% rep(1 / sum(epos), sum(epos)), n))
  # group
  att_g <- c(); if_g <- list()
  for (g in glist) {
    wg <- which(res$group == g & res$t >= g)
    att_g <- c(att_g, mean(res$att[wg]))
    if_g[[length(if_g) + 1]] <- agg_if(res, wg, pg[wg] / sum(pg[wg]), use_wif = FALSE)
    add(case, "group", paste0(g, ":att"), tail(att_g, 1))
    add(case, "group", paste0(g, ":se"), se_of(if_g[[length(if_g)]], n))
  }
  if_g <- do.call(cbind, if_g)
  wifg <- wif(seq_along(glist), pgg, res$G, glist)
  fg <- if_g %*% (pgg / sum(pgg)) + wifg %*% att_g
  add(case, "group", "overall:att", sum(att_g * pgg) / sum(pgg))
  add(case, "group", "overall:se", se_of(fg, n))
  # calendar
  tl <- sort(unique(res$t)); tl <- tl[tl >= min(glist)]
  att_t <- c(); if_t <- list()
  for (tt in tl) {
    wt <- which(res$t == tt & res$group <= tt)
    if (length(wt) == 0) next
    att_t <- c(att_t, sum(res$att[wt] * pg[wt]) / sum(pg[wt]))
    if_t[[length(if_t) + 1]] <- agg_if(res, wt, pg[wt] / sum(pg[wt]), pg)
    add(case, "calendar", paste0(tt, ":att"), tail(att_t, 1))
    add(case, "calendar", paste0(tt, ":se"), se_of(if_t[[length(if_t)]], n))
  }
  if_t <- do.call(cbind, if_t)
  add(case, "calendar", "overall:att", mean(att_t))
  add(case, "calendar", "overall:se", se_of(if_t %*% rep(1 / length(att_t), length(att_t)), n))
  add(case, "sample", "units", n)
  invisible(res)
}

mpdta <- read.csv(file.path(out_dir, "mpdta.csv"))
names(mpdta)[names(mpdta) == "first.treat"] <- "first_treat"
r <- record("mpdta_reg_never_varying", att_gt(mpdta, "lemp", "countyreal", "year", "first_treat"))
# the published numbers (validation README) are reproduced by this case
pub <- c(-0.0105, -0.0704, -0.1373, -0.1008, 0.0065, -0.0028, -0.0046, -0.0412, 0.0305, -0.0027, -0.0311, -0.0261)
stopifnot(all(abs(round(r$att, 4) - pub) < 1e-12))
for (m in c("reg", "ipw", "dr")) {
  record(paste0("mpdta_", m, "_lpop_never_varying"),
         att_gt(mpdta, "lemp", "countyreal", "year", "first_treat", "lpop", m))
}
record("mpdta_dr_lpop_notyet_varying", att_gt(mpdta, "lemp", "countyreal", "year", "first_treat", "lpop", "dr", "notyet"))
record("mpdta_reg_never_universal", att_gt(mpdta, "lemp", "countyreal", "year", "first_treat", base = "universal"))
record("mpdta_ipw_lpop_notyet_universal", att_gt(mpdta, "lemp", "countyreal", "year", "first_treat", "lpop", "ipw", "notyet", "universal"))

panel <- read.csv("data/synthetic/panel.csv")
record("panel_reg_never_varying", att_gt(panel, "resilience", "city_code", "year", "policy_year"))
record("panel_reg_notyet_universal", att_gt(panel, "resilience", "city_code", "year", "policy_year",
                                           control = "notyet", base = "universal"))
record("panel_dr_cov_never_varying", att_gt(panel, "resilience", "city_code", "year", "policy_year",
                                            c("econ_density", "gov_intervention"), "dr"))

out <- do.call(rbind, rows)
write.csv(out, file.path(out_dir, "cs_reference.csv"), row.names = FALSE, quote = FALSE)
cat("wrote", nrow(out), "values\n")
