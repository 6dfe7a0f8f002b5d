# Reference values for propensity-score matching and the matched-sample DID
# (Compendium.Econometrics.Matching.PropensityScoreMatching), made with R MatchIt 4.5.1.
#
# Run from the repository root:
#   Rscript tests/reference/psm/psm_reference.R PANEL_CSV MATCHIT_4.5.5_SRC_DIR   (README.md: how to get it)
# PANEL_CSV defaults to data/synthetic/panel.csv. Writes, in tests/reference/psm/:
#   lalonde.csv          MatchIt's `lalonde` data (race as the dummies black, hispan; row order kept)
#   psm_reference.csv    case,key,value (17 significant digits): counts, balance, logit scores' coefficients, DID
#   psm_matches.csv      case,group,treated_row,slot,control_row (0-based data-row numbers of the input file)
#   psm_weights.csv      case,row,weight for every row with a non-zero matching weight
#   psm_scores.csv       case,row,score: the propensity scores (one case per data set and grouping)
#
# Matching: matchit(method = "nearest", distance = "glm", link = "logit", m.order = "largest",
# estimand = "ATT"), caliper on the propensity-score scale (std.caliper = FALSE) unless a case says
# "sd" (caliper in standard deviations of the score, MatchIt's default std.caliper = TRUE). glm is run
# to a tight tolerance (distance.options epsilon = 1e-14) so the scores agree with a Newton solver to
# ~1e-12. Year by year: one matchit() call per year on that year's rows; the matched sample is the
# union over years, with MatchIt's weights of each year's call.
#
# The nearest-neighbour algorithm is re-implemented below in plain R (nn_match) from MatchIt's
# src/nn_matchC_vec.cpp and checked to give MatchIt's match.matrix exactly (stopifnot), so the
# algorithm Compendium implements is written down in one readable place:
#   * sort all units by score ascending (stable: ties keep data order);
#   * treated units are processed in decreasing order of the score (m.order = "largest"; with
#     replacement MatchIt uses data order, which gives the same matches);
#   * for ratio k, k rounds: round r gives every treated unit (in that order) its r-th control;
#   * a treated unit's candidate is the nearest still-available control to its left and to its right
#     in score order (skipping controls already matched to it); the left one wins ties; with a caliper
#     the scan stops at the first available control outside the caliper on each side;
#   * without replacement a control becomes unavailable once used.
# Weights (MatchIt's weights_matrixC): treated = 1 if it got any control; a control gets Σ 1/k_i over
# the treated units i that use it (k_i = number of controls unit i got); control weights are then
# scaled so that they sum to the number of distinct matched controls.
#
# Balance (every covariate and the score), treated vs control, before (unit weights) and after
# (matching weights) matching, on the stacked rows of all groups:
#   mean_t, mean_c              weighted means;
#   smd    (MatchIt, ATT)       (mean_t − mean_c)/s_t, s_t the treated SD of the full (unmatched) sample:
#                               sample SD (n − 1) for continuous, sqrt(p(1 − p)) for 0/1 variables;
#                               if |mean_t − mean_c| ≤ sqrt(machine eps) the raw difference is reported;
#                               (checked here against summary.matchit for every single matchit() call);
#   pct_bias (psmatch2/pstest)  100 (mean_t − mean_c)/sqrt((s²_t + s²_c)/2), s² the sample variances
#                               (n − 1) of the full (unmatched) treated and control samples, for
#                               before and after alike (Rosenbaum and Rubin 1985);
#   t, p                        t-test of the difference: lm(x ~ treated, weights = w) on the rows used
#                               (classical OLS SE; before: the equal-variance two-sample t).
#
# Matched-sample DID: the baseline formula fitted by lm() with factor dummies on the matched rows,
# weights = matching weights, singletons dropped iteratively, clustered CR1 with fixest's small-sample
# factor (the conventions of tests/reference/fe/README.md, rebuilt here with sandwich::vcovCL).
suppressPackageStartupMessages({ library(MatchIt); library(sandwich) })
args <- commandArgs(trailingOnly = TRUE)
panel_path <- if (length(args) >= 1) args[1] else "data/synthetic/panel.csv"
matchit_src <- if (length(args) >= 2) args[2] else Sys.getenv("MATCHIT_SRC")
if (!file.exists(file.path(matchit_src, "nn_matchC_vec.cpp")))
  stop("give the src/ folder of MatchIt 4.5.5 as the second argument (see README.md in this folder)")
out <- "tests/reference/psm"
fmt <- function(x) sprintf("%.17g", as.numeric(x))
vals <- list(); matches <- list(); wts <- list(); scores <- list()
put <- function(case, key, value) vals[[length(vals) + 1]] <<- data.frame(case = case, key = key, value = fmt(value))

# ---- the algorithm, in plain R (checked against MatchIt below) -------------------------------------
nn_match <- function(treat, score, ratio = 1, replace = FALSE, caliper = NULL, bug451 = FALSE) {
  # bug451 = TRUE emulates the two defects of MatchIt 4.5.1's nn_matchC_vec (fixed upstream in
  # 4.5.3/4.5.4): C's integer abs() applied to score differences (so |d| < 1 counts as 0: the left
  # neighbour always wins and the caliper never binds) and a 0-/1-based mix-up in the check that a
  # control is not matched twice to the same treated unit.
  dist <- if (bug451) function(a) abs(trunc(a)) else abs
  n <- length(treat)
  o <- order(score, method = "radix")                     # ascending, stable
  t_s <- treat[o]; d_s <- score[o]
  pos <- integer(n); pos[o] <- seq_len(n)                 # position of each unit in the sorted order
  tr <- which(treat == 1)
  ord <- tr[order(score[tr], decreasing = TRUE, method = "radix")]
  avail <- t_s == 0
  mm <- matrix(NA_integer_, length(tr), ratio, dimnames = list(as.character(tr), NULL))
  for (r in seq_len(ratio)) for (i in ord) {
    ii <- pos[i]; mine <- mm[as.character(i), ]; mine <- mine[!is.na(mine)]
    scan <- function(ks) {
      for (k in ks) {
        if (!avail[k] || (if (bug451) (o[k] - 1L) else o[k]) %in% mine) next
        if (!is.null(caliper) && dist(d_s[ii] - d_s[k]) > caliper) return(NA)
        return(k)
      }
      NA
    }
    kl <- scan(rev(seq_len(ii - 1))); kr <- if (ii < n) scan((ii + 1):n) else NA
    k <- if (!is.na(kl) && !is.na(kr)) { if (dist(d_s[kl] - d_s[ii]) <= dist(d_s[kr] - d_s[ii])) kl else kr }
         else if (!is.na(kl)) kl else kr
    if (is.na(k)) next
    mm[as.character(i), r] <- o[k]
    if (!replace) avail[k] <- FALSE
    if (!any(avail)) return(mm)
  }
  mm
}

mm_weights <- function(mm, treat) {
  w <- numeric(length(treat))
  for (r in seq_len(nrow(mm))) {
    cs <- mm[r, ]; cs <- cs[!is.na(cs)]
    if (length(cs) == 0) next
    w[cs] <- w[cs] + 1 / length(cs)
    w[as.integer(rownames(mm)[r])] <- 1
  }
  c0 <- treat == 0
  if (sum(w[c0]) > 0) w[c0] <- w[c0] * sum(w[c0] > 0) / sum(w[c0])
  w
}

# ---- one matchit() call ------------------------------------------------------------------------
# MatchIt 4.5.1 as installed, and the same with its nn_matchC_vec replaced by MatchIt 4.5.5's
# (compiled here from the upstream source given on the command line).
nn_451 <- MatchIt:::nn_matchC_vec
fixed_env <- new.env()
Rcpp::sourceCpp(file.path(matchit_src, "nn_matchC_vec.cpp"), env = fixed_env, cacheDir = file.path(tempdir(), "matchit455"))
run_matchit <- function(args, fixed) {
  assignInNamespace("nn_matchC_vec", if (fixed) fixed_env$nn_matchC_vec else nn_451, "MatchIt")
  suppressWarnings(do.call(matchit, args))
}
as_index <- function(m, d) {                              # match.matrix with row numbers of d
  mm <- m$match.matrix
  matrix(match(mm, rownames(d)), nrow(mm), dimnames = list(as.character(match(rownames(mm), rownames(d))), NULL))
}
match_one <- function(d, treat, covs, caliper, ratio, replace, std_caliper) {
  f <- reformulate(covs, response = treat)
  args <- list(formula = f, data = d, method = "nearest", distance = "glm", link = "logit",
               distance.options = list(epsilon = 1e-14, maxit = 100), m.order = "largest",
               ratio = ratio, replace = replace)
  if (!is.null(caliper)) { args$caliper <- caliper; args$std.caliper <- std_caliper }
  m_old <- run_matchit(args, fixed = FALSE)
  m <- run_matchit(args, fixed = TRUE)
  stopifnot(identical(m$distance, m_old$distance))
  cal <- if (is.null(caliper)) NULL else if (std_caliper) caliper * sd(m$distance) else caliper
  for (v in list(list(m = m_old, bug = TRUE), list(m = m, bug = FALSE))) {
    mmi <- as_index(v$m, d)
    mine <- nn_match(d[[treat]], v$m$distance, ratio, replace, cal, bug451 = v$bug)
    mine <- mine[rownames(mmi), , drop = FALSE]
    mmi <- mmi[, seq_len(ncol(mine)), drop = FALSE]
    stopifnot(identical(unname(mine), unname(mmi)))
    stopifnot(isTRUE(all.equal(unname(mm_weights(mmi, d[[treat]])), unname(v$m$weights), tolerance = 1e-14)))
  }
  list(m = m, mm = as_index(m, d), score = unname(m$distance), weights = unname(m$weights))
}

# ---- balance -----------------------------------------------------------------------------------
is_bin <- function(x) all(x == 0 | x == 1)
sd_treated <- function(x, t) {                             # MatchIt's s.d.denom = "treated" (wvar)
  x1 <- x[t == 1]
  s <- if (is_bin(x)) sqrt(mean(x1) * (1 - mean(x1))) else sd(x1)
  if (!is.finite(s) || s < sqrt(.Machine$double.eps)) {  # MatchIt falls back to the pooled SD
    n <- length(x)
    s <- if (is_bin(x)) sqrt(sum(sapply(0:1, function(g) { sg <- sum(x[t == g]); sg * (1 - sg / sum(t == g)) / n })))
         else sqrt(sum(sapply(0:1, function(g) sum((x[t == g] - mean(x[t == g]))^2))) / (n - 1))
  }
  s
}
balance_row <- function(x, t, w, s_t, pooled) {
  mt <- weighted.mean(x[t == 1], w[t == 1]); mc <- weighted.mean(x[t == 0], w[t == 0])
  dm <- mt - mc
  smd <- if (abs(dm) > sqrt(.Machine$double.eps)) dm / s_t else dm
  tt <- summary(lm(x ~ t, weights = w))$coefficients
  c(mean_t = mt, mean_c = mc, smd = smd, pct_bias = 100 * dm / pooled,
    t = tt["t", "t value"], p = tt["t", "Pr(>|t|)"])
}
balance <- function(case, X, t, w) {
  for (v in colnames(X)) {
    x <- X[, v]
    s_t <- sd_treated(x, t); pooled <- sqrt((var(x[t == 1]) + var(x[t == 0])) / 2)
    before <- balance_row(x, t, rep(1, length(x)), s_t, pooled)
    keep <- w > 0
    after <- balance_row(x[keep], t[keep], w[keep], s_t, pooled)
    for (q in names(before)) { put(case, paste0("balance:", v, ":", q, "_before"), before[[q]]); put(case, paste0("balance:", v, ":", q, "_after"), after[[q]]) }
  }
}
# summary.matchit's "Std. Mean Diff." and means for one call equal balance_row's (checked).
check_summary <- function(m, X, t) {
  s <- summary(m, standardize = TRUE)
  for (v in colnames(X)) {
    x <- X[, v]; s_t <- sd_treated(x, t)
    b <- balance_row(x, t, rep(1, length(x)), s_t, 1)
    a <- balance_row(x[m$weights > 0], t[m$weights > 0], m$weights[m$weights > 0], s_t, 1)
    ref_b <- s$sum.all[v, ]; ref_a <- s$sum.matched[v, ]
    stopifnot(abs(b[["smd"]] - ref_b[["Std. Mean Diff."]]) < 1e-12 * max(1, abs(b[["smd"]])),
              abs(a[["smd"]] - ref_a[["Std. Mean Diff."]]) < 1e-12 * max(1, abs(a[["smd"]])),
              abs(a[["mean_c"]] - ref_a[["Means Control"]]) < 1e-10 * max(1, abs(a[["mean_c"]])))
  }
}

# ---- fixed-effects DID with fixest's conventions (as tests/reference/fe/fe_reference.R) --------
drop_singletons <- function(d, fes) {
  dropped <- 0
  repeat {
    keep <- rep(TRUE, nrow(d))
    for (f in fes) { tab <- table(d[[f]]); keep <- keep & (as.character(d[[f]]) %in% names(tab)[tab > 1]) }
    if (all(keep)) break
    dropped <- dropped + sum(!keep); d <- d[keep, , drop = FALSE]
  }
  list(d = d, dropped = dropped)
}
did <- function(case, d, y, xs, fes, cluster, w) {
  d$.w <- w
  s <- if (length(fes)) drop_singletons(d, fes) else list(d = d, dropped = 0)
  d <- s$d; put(case, "did:n_singletons", s$dropped)
  for (f in fes) d[[f]] <- factor(d[[f]])
  rhs <- c(fes, xs)
  m <- lm(reformulate(rhs, response = y), data = d, weights = .w)
  n <- nrow(d); k <- length(xs) + if (length(fes)) 0 else 1
  kfe <- if (length(fes)) sum(sapply(fes, function(f) nlevels(d[[f]]))) - (length(fes) - 1) else 0
  K <- k + kfe
  terms <- if (length(fes)) xs else c("(Intercept)", xs)
  if (is.null(cluster)) {
    V <- vcovHC(m, type = "HC0")[terms, terms] * n / (n - K); dft <- n - K
  } else {
    Kn <- K
    for (f in fes) if (all(tapply(d[[cluster]], d[[f]], function(v) length(unique(v))) == 1)) Kn <- Kn - nlevels(d[[f]]) + 1
    G <- length(unique(d[[cluster]]))
    V <- vcovCL(m, cluster = d[[cluster]], type = "HC0", cadjust = FALSE)[terms, terms] * G / (G - 1) * (n - 1) / (n - Kn)
    dft <- G - 1; put(case, "did:clusters", G)
  }
  b <- coef(m)[terms]; se <- sqrt(diag(V))
  put(case, "did:nobs", n); put(case, "did:df_t", dft)
  for (tn in xs[1]) {
    put(case, paste0("did:coef:", tn, ":estimate"), b[[tn]]); put(case, paste0("did:coef:", tn, ":std_error"), se[[tn]])
    tv <- b[[tn]] / se[[tn]]; put(case, paste0("did:coef:", tn, ":t"), tv); put(case, paste0("did:coef:", tn, ":p"), 2 * pt(-abs(tv), dft))
  }
}

# ---- a whole case: match by group, record everything -------------------------------------------
run_case <- function(case, d, treat, covs, by = NULL, caliper = NULL, ratio = 1, replace = FALSE, std_caliper = FALSE,
                     did_spec = NULL, write_scores = FALSE) {
  rownames(d) <- as.character(seq_len(nrow(d)))
  groups <- if (is.null(by)) list(all = seq_len(nrow(d))) else split(seq_len(nrow(d)), d[[by]])
  score <- rep(NA_real_, nrow(d)); w <- numeric(nrow(d))
  for (g in names(groups)) {
    idx <- groups[[g]]; dg <- d[idx, , drop = FALSE]
    r <- match_one(dg, treat, covs, caliper, ratio, replace, std_caliper)
    check_summary(r$m, as.matrix(dg[, covs]), dg[[treat]])
    score[idx] <- r$score; w[idx] <- r$weights
    for (q in names(coef(r$m$model))) put(case, paste0("logit:", g, ":", q), coef(r$m$model)[[q]])
    tr <- idx[as.integer(rownames(r$mm))]
    for (j in seq_len(ncol(r$mm))) {
      ok <- !is.na(r$mm[, j])
      matches[[length(matches) + 1]] <<- data.frame(case = case, group = g, treated_row = tr[ok] - 1L, slot = j,
                                                    control_row = idx[r$mm[ok, j]] - 1L)
    }
    put(case, paste0("group:", g, ":treated"), sum(dg[[treat]] == 1))
    put(case, paste0("group:", g, ":treated_matched"), sum(dg[[treat]] == 1 & r$weights > 0))
    put(case, paste0("group:", g, ":controls_matched"), sum(dg[[treat]] == 0 & r$weights > 0))
  }
  put(case, "n_before", nrow(d)); put(case, "n_after", sum(w > 0))
  X <- cbind(as.matrix(d[, covs]), score = score)
  balance(case, X, d[[treat]], w)
  wts[[length(wts) + 1]] <<- data.frame(case = case, row = which(w > 0) - 1L, weight = fmt(w[w > 0]))
  if (write_scores) scores[[length(scores) + 1]] <<- data.frame(case = case, row = seq_len(nrow(d)) - 1L, score = fmt(score))
  if (!is.null(did_spec)) {
    keep <- w > 0
    did(case, d[keep, , drop = FALSE], did_spec$y, did_spec$xs, did_spec$fes, did_spec$cluster, w[keep])
  }
  invisible(NULL)
}

# ---- 1. the synthetic panel ----------------------------------------------------------------------
if (file.exists(panel_path)) {
  p <- read.csv(panel_path, check.names = FALSE, stringsAsFactors = FALSE)
  controls <- c("econ_density", "infrastructure", "gov_intervention", "fdi", "avg_wage")
  spec <- list(y = "resilience", xs = c("treat", controls), fes = c("city_code", "year"), cluster = "city_code")
  run_case("panel_year", p, "pilot", controls, by = "year", did_spec = spec, write_scores = TRUE)
  run_case("panel_year_caliper", p, "pilot", controls, by = "year", caliper = 0.05, did_spec = spec)
  run_case("panel_year_replace", p, "pilot", controls, by = "year", replace = TRUE, did_spec = spec)
  run_case("panel_year_ratio2", p, "pilot", controls, by = "year", ratio = 2, did_spec = spec)
  run_case("panel_year_ratio2_replace_caliper", p, "pilot", controls, by = "year", ratio = 2, replace = TRUE, caliper = 0.05, did_spec = spec)
  run_case("panel_pooled", p, "pilot", controls, did_spec = spec, write_scores = TRUE)
  # Full-sample DID beside the matched one (all weights 1).
  did("panel_full", p, spec$y, spec$xs, spec$fes, spec$cluster, rep(1, nrow(p)))
}

# ---- 2. MatchIt's lalonde (Dehejia and Wahba 1999) ------------------------------------------------
data("lalonde", package = "MatchIt")
la <- data.frame(id = rownames(lalonde), treat = lalonde$treat, age = lalonde$age, educ = lalonde$educ,
                 black = as.integer(lalonde$race == "black"), hispan = as.integer(lalonde$race == "hispan"),
                 married = lalonde$married, nodegree = lalonde$nodegree,
                 re74 = lalonde$re74, re75 = lalonde$re75, re78 = lalonde$re78)
write.csv(la, file.path(out, "lalonde.csv"), row.names = FALSE)
lcov <- c("age", "educ", "black", "hispan", "married", "nodegree", "re74", "re75")
lspec <- list(y = "re78", xs = c("treat", lcov), fes = character(0), cluster = NULL)
run_case("lalonde", la, "treat", lcov, did_spec = lspec, write_scores = TRUE)
run_case("lalonde_caliper", la, "treat", lcov, caliper = 0.05, did_spec = lspec)
run_case("lalonde_caliper_sd", la, "treat", lcov, caliper = 0.2, std_caliper = TRUE, did_spec = lspec)
run_case("lalonde_replace", la, "treat", lcov, replace = TRUE, did_spec = lspec)
run_case("lalonde_ratio2", la, "treat", lcov, ratio = 2, did_spec = lspec)
run_case("lalonde_ratio3_caliper", la, "treat", lcov, ratio = 3, caliper = 0.05, did_spec = lspec)

wcsv <- function(x, name) {
  tmp <- file.path(out, paste0(name, ".tmp"))
  write.csv(do.call(rbind, x), tmp, row.names = FALSE, quote = FALSE)
  invisible(file.rename(tmp, file.path(out, name)))
}
invisible(wcsv(vals, "psm_reference.csv")); wcsv(matches, "psm_matches.csv"); wcsv(wts, "psm_weights.csv"); wcsv(scores, "psm_scores.csv")
cat("wrote", length(vals), "values\n")
