# Reference values for Compendium.Estimation.Feols (fixed-effects OLS and its variance estimators).
#
# fixest is not installable here, so the fixest conventions are rebuilt from base R:
#   * coefficients: lm() with factor dummies (factors first, so lm's in-order pivoting drops a
#     regressor collinear with the fixed effects, not a dummy), cross-checked with plm's within
#     estimator where the model is a two-way panel;
#   * variances: sandwich::vcovHC / vcovCL without any adjustment (HC0, cadjust = FALSE), then the
#     documented fixest small-sample factor applied explicitly (ssc(adj = TRUE, fixef.K = "nested",
#     cluster.adj = TRUE, cluster.df = "min", t.df = "min")):
#       K      = k + sum(levels of FE) - (Q - 1)        (Q = number of FE, fixef.force_exact = FALSE)
#       nested = K - sum(levels of FE nested in a cluster variable) + (number of such FE)
#       iid    : RSS/(n - K) (X'X)^-1
#       hetero : HC0 * n/(n - K)
#       cluster: (sum over dims of +/- V_HC0) * Gmin/(Gmin - 1) * (n - 1)/(n - K_nested)
#       t df   : n - K (iid, hetero), Gmin - 1 (clustered)
#   * singletons (levels of any FE with one observation) are dropped iteratively before fitting,
#     as reghdfe does and as Compendium does by default (fixest keeps them by default).
#
# usage: Rscript fe_reference.R DATASET INPUT.csv OUTDIR
#   DATASET is castle | mpdta | panel; derived inputs (extra columns, subsets) are written to OUTDIR
#   beside the values, so the C# tests read exactly the rows R used.
# Output: OUTDIR/DATASET_reference.csv with columns case,key,value (value to 17 significant digits).
suppressPackageStartupMessages({ library(sandwich); library(plm) })
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 3) stop("usage: Rscript fe_reference.R castle|mpdta|panel INPUT.csv OUTDIR")
dataset <- args[1]; input <- args[2]; outdir <- args[3]
raw <- read.csv(input, check.names = FALSE, stringsAsFactors = FALSE)

out <- list()
put <- function(case, key, value) out[[length(out) + 1]] <<- data.frame(case = case, key = key,
  value = formatC(as.numeric(value), digits = 17, format = "g"), stringsAsFactors = FALSE)

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

nb <- function(M) { dimnames(M) <- lapply(dimnames(M), function(v) gsub("`", "", v)); M }
nested_in <- function(fe, cl) all(tapply(cl, fe, function(v) length(unique(v))) == 1)

fit_case <- function(case, d, y, xs, fes = character(0), vcov = "iid", cluster = character(0),
                     weights = NULL, wald = NULL, plm_index = NULL) {
  vars <- unique(c(y, xs, fes, cluster, weights))
  cc <- complete.cases(d[, vars, drop = FALSE])
  put(case, "n_missing", sum(!cc)); d <- d[cc, , drop = FALSE]
  s <- if (length(fes) > 0) drop_singletons(d, fes) else list(d = d, dropped = 0)
  d <- s$d; put(case, "n_singletons", s$dropped)
  for (f in fes) d[[f]] <- factor(d[[f]])
  rhs <- c(if (length(fes) > 0) sprintf("`%s`", fes) else NULL, sprintf("`%s`", xs))
  fml <- as.formula(paste0("`", y, "` ~ ", paste(rhs, collapse = " + ")))
  w <- if (is.null(weights)) NULL else d[[weights]]
  m <- if (is.null(w)) lm(fml, data = d) else lm(fml, data = d, weights = w)
  cf <- coef(m); names(cf) <- gsub("`", "", names(cf))
  xnames <- sprintf("`%s`", xs); names(xnames) <- xs
  # lm names a backticked variable without the backticks
  kept <- xs[!is.na(cf[xs])]
  dropped <- xs[is.na(cf[xs])]
  for (v in dropped) put(case, paste0("collinear:", v), 1)
  terms <- if (length(fes) == 0) c("(Intercept)", kept) else kept
  n <- nrow(d); k <- length(terms)
  levels <- sapply(fes, function(f) nlevels(d[[f]]))
  kfe <- if (length(fes) == 0) 0 else sum(levels) - (length(fes) - 1)
  K <- k + kfe
  put(case, "nobs", n); put(case, "K", K)
  for (f in fes) put(case, paste0("fe_levels:", f), nlevels(d[[f]]))
  e <- residuals(m); ww <- if (is.null(w)) rep(1, n) else w
  rss <- sum(ww * e^2)
  yv <- d[[y]]; ybar <- sum(ww * yv) / sum(ww)
  put(case, "rss", rss)
  put(case, "r2", 1 - rss / sum(ww * (yv - ybar)^2))
  if (length(fes) > 0) {
    m0 <- lm(as.formula(paste0("`", y, "` ~ ", paste(sprintf("`%s`", fes), collapse = " + "))), data = d, weights = w)
    put(case, "r2_within", 1 - rss / sum(ww * residuals(m0)^2))
  }
  if (vcov == "iid") {
    V <- nb(vcov(m))[terms, terms, drop = FALSE] * (n - m$rank) / (n - K); dft <- n - K
  } else if (vcov == "hetero") {
    V <- nb(vcovHC(m, type = "HC0"))[terms, terms, drop = FALSE] * n / (n - K); dft <- n - K
  } else {
    Kn <- K
    for (f in fes) if (any(sapply(cluster, function(cv) nested_in(d[[f]], d[[cv]])))) Kn <- Kn - nlevels(d[[f]]) + 1
    G <- sapply(cluster, function(cv) length(unique(d[[cv]])))
    Gmin <- min(G)
    cl <- as.formula(paste("~", paste(sprintf("`%s`", cluster), collapse = " + ")))
    V0 <- vcovCL(m, cluster = d[, cluster, drop = FALSE], type = "HC0", cadjust = FALSE, multi0 = FALSE)
    V <- nb(V0)[terms, terms, drop = FALSE] * Gmin / (Gmin - 1) * (n - 1) / (n - Kn)
    # fixest's repair (vcov_fix, mat_posdef_fix): only when a variance is negative, eigenvalues floored at 1e-10
    if (any(diag(V) < 0)) { ev <- eigen(V, symmetric = TRUE); V <- ev$vectors %*% diag(pmax(ev$values, 1e-10), length(ev$values)) %*% t(ev$vectors); dimnames(V) <- list(terms, terms) }
    dft <- Gmin - 1
    put(case, "K_vcov", Kn)
    for (i in seq_along(cluster)) put(case, paste0("clusters:", cluster[i]), G[i])
  }
  put(case, "df_t", dft)
  se <- sqrt(diag(V)); est <- cf[terms]; tt <- est / se
  p <- 2 * pt(-abs(tt), dft); q <- qt(0.975, dft)
  for (i in seq_along(terms)) {
    tn <- terms[i]
    put(case, paste0("coef:", tn, ":estimate"), est[i]); put(case, paste0("coef:", tn, ":std_error"), se[i])
    put(case, paste0("coef:", tn, ":t"), tt[i]); put(case, paste0("coef:", tn, ":p"), p[i])
    put(case, paste0("coef:", tn, ":ci_low"), est[i] - q * se[i]); put(case, paste0("coef:", tn, ":ci_high"), est[i] + q * se[i])
  }
  for (i in seq_along(terms)) for (j in seq_along(terms))
    put(case, paste0("vcov:", terms[i], ":", terms[j]), V[i, j])
  if (!is.null(wald)) {
    b <- est[wald]; Vw <- V[wald, wald, drop = FALSE]
    stat <- drop(t(b) %*% solve(Vw) %*% b) / length(b)
    df2 <- n - K
    put(case, "wald:stat", stat); put(case, "wald:df1", length(b)); put(case, "wald:df2", df2)
    put(case, "wald:p", pf(stat, length(b), df2, lower.tail = FALSE))
  }
  if (!is.null(plm_index) && is.null(w)) {
    pd <- pdata.frame(d, index = plm_index)
    pm <- plm(as.formula(paste0("`", y, "` ~ ", paste(sprintf("`%s`", kept), collapse = " + "))), data = pd,
              model = "within", effect = if (length(plm_index) == 2) "twoways" else "individual")
    for (tn in kept) put(case, paste0("plm:", tn), coef(pm)[tn])
  }
  invisible(NULL)
}

write_derived <- function(d, name) {
  path <- file.path(outdir, name)
  write.csv(d, path, row.names = FALSE, na = "")
  path
}

if (dataset == "castle") {
  d <- raw
  # A third factor that varies within state and within year (for the 3-FE case).
  d$g7 <- (d$sid * 3 + d$year) %% 7
  # A regressor collinear with post (dropped), and one with holes (listwise deletion).
  d$post2 <- 2 * d$post
  d$x_na <- ifelse((d$sid + d$year) %% 13 == 0, NA, sin(d$sid * 0.7 + d$year))
  d$x_int <- cos(d$sid) * (d$year - 2005)
  write_derived(d, "castle_derived.csv")
  fit_case("castle_twfe_iid", d, "l_homicide", "post", c("sid", "year"), "iid", plm_index = c("sid", "year"))
  fit_case("castle_twfe_hetero", d, "l_homicide", "post", c("sid", "year"), "hetero")
  fit_case("castle_twfe_cluster", d, "l_homicide", "post", c("sid", "year"), "cluster", "sid")
  fit_case("castle_twfe_cluster2", d, "l_homicide", c("post", "x_int"), c("sid", "year"), "cluster", c("sid", "year"))
  fit_case("castle_1fe_cluster", d, "l_homicide", c("post", "x_int"), "sid", "cluster", "sid", plm_index = "sid")
  fit_case("castle_3fe_cluster", d, "l_homicide", c("post", "x_int"), c("sid", "year", "g7"), "cluster", "sid")
  fit_case("castle_collinear_cluster", d, "l_homicide", c("post", "post2", "x_int"), c("sid", "year"), "cluster", "sid")
  fit_case("castle_missing_hetero", d, "l_homicide", c("post", "x_na"), c("sid", "year"), "hetero")
  fit_case("castle_nofe_iid", d, "l_homicide", c("post", "x_int"), character(0), "iid")
  fit_case("castle_nofe_hetero", d, "l_homicide", c("post", "x_int"), character(0), "hetero")
  fit_case("castle_weighted_cluster", d, "l_homicide", "post", c("sid", "year"), "cluster", "sid", weights = "popwt")
  # Singletons: state 1 keeps one year (a singleton), state 2 keeps two.
  s <- d[!(d$sid == 1 & d$year > 2000) & !(d$sid == 2 & d$year > 2001), ]
  write_derived(s, "castle_singletons.csv")
  fit_case("castle_singletons_cluster", s, "l_homicide", "post", c("sid", "year"), "cluster", "sid")
} else if (dataset == "mpdta") {
  d <- raw
  d$post <- as.integer(d$`first.treat` > 0 & d$year >= d$`first.treat`)
  d$rel <- ifelse(d$`first.treat` > 0, d$year - d$`first.treat`, NA)
  d$lpop_year <- d$lpop * (d$year - 2005)
  write_derived(d, "mpdta_derived.csv")
  fit_case("mpdta_twfe_cluster", d, "lemp", "post", c("countyreal", "year"), "cluster", "countyreal", plm_index = c("countyreal", "year"))
  fit_case("mpdta_collinear_cluster", d, "lemp", c("post", "lpop", "lpop_year"), c("countyreal", "year"), "cluster", "countyreal")
  # Event study: rel in -4..3, reference -1, never-treated rows get zeros in every dummy.
  ev <- setdiff(sort(unique(na.omit(d$rel))), -1)
  names_ev <- sprintf("rel_year::%d", ev)
  for (i in seq_along(ev)) d[[names_ev[i]]] <- ifelse(!is.na(d$rel) & d$rel == ev[i], 1, 0)
  fit_case("mpdta_event_cluster", d, "lemp", names_ev, c("countyreal", "year"), "cluster", "countyreal",
           wald = names_ev[ev < -1])
} else if (dataset == "panel") {
  d <- raw
  controls <- c("econ_density", "infrastructure", "gov_intervention", "fdi", "avg_wage")
  fit_case("panel_twfe_cluster", d, "resilience", "treat", c("city_code", "year"), "cluster", "city_code",
           plm_index = c("city_code", "year"))
  fit_case("panel_controls_cluster", d, "resilience", c("treat", controls), c("city_code", "year"), "cluster", "city_code")
  fit_case("panel_controls_hetero", d, "resilience", c("treat", controls), c("city_code", "year"), "hetero")
  fit_case("panel_controls_cluster2", d, "resilience", c("treat", controls), c("city_code", "year"), "cluster", c("city_code", "year"))
  # Event study with binned end points: i(rel_year, ref = -1, bin = [-3, 6]); never-treated rows are zero.
  relb <- pmin(pmax(d$rel_year, -3), 6)
  lab <- function(v) ifelse(v == -3, "<=-3", ifelse(v == 6, ">=6", as.character(v)))
  ev <- setdiff(sort(unique(na.omit(relb))), -1)
  names_ev <- paste0("rel_year::", lab(ev))
  for (i in seq_along(ev)) d[[names_ev[i]]] <- ifelse(!is.na(relb) & relb == ev[i], 1, 0)
  fit_case("panel_event_cluster", d, "resilience", c(names_ev, controls), c("city_code", "year"), "cluster", "city_code",
           wald = names_ev[ev < -1])
} else stop("unknown dataset ", dataset)

res <- do.call(rbind, out)
tmp <- file.path(outdir, paste0(dataset, "_reference.csv.tmp"))
write.csv(res, tmp, row.names = FALSE, quote = TRUE)
file.rename(tmp, file.path(outdir, paste0(dataset, "_reference.csv")))
cat("wrote", nrow(res), "values for", dataset, "\n")
