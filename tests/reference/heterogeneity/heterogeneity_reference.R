# Reference values for the mechanism and heterogeneity analyses (issue 11): R fixest 0.12.2.
#
# On the synthetic panel, with the baseline specification of Table 2 column (4)
#   y ~ treat + econ_density + infrastructure + gov_intervention + fdi + avg_wage | city_code + year,
# standard errors clustered by city (fixest defaults: ssc(adj = TRUE, fixef.K = "nested",
# cluster.adj = TRUE, t.df = "min"), so CR1 = CR0 * G/(G - 1) * (n - 1)/(n - K_nested) and t(G - 1);
# Wald F tests on F(q, n - K) as fixest's wald(); the balanced panel has no singletons), it writes:
#
#   mechanisms   each mechanism (talent_share, ln_new_firms) and the index as the outcome, with and
#                without controls, and the event study of each (reference -1, end bins <= -4 and >= 6,
#                with controls; the dummies are built by hand and named as Compendium names them);
#   groups       the city-level moderators: the pre-policy mean of ip_protection and policy_capacity
#                (years before the first treated year of the panel, 2012-2014), the median split
#                (high = strictly above the median of the 283 city means), terciles (R quantile type 7
#                at 1/3 and 2/3; T1 = at or below the first cut, T3 = above the second), the moderators
#                centred on their mean over cities, and the three size groups
#                (megacity + super_large, large_1 + large_2, medium + small);
#   subsamples   the baseline model on each group of each split;
#   pooled       treat + i(group, treat, ref = reference group) + controls | city + year, with the Wald
#                test that every interaction is zero; and the fully interacted variant
#                i(group, treat) + controls | city + year^group (group-specific year effects);
#   continuous   treat + treat:moderator_centred (each moderator alone, and both together);
#   holm         p.adjust(., "holm") of the family of eight heterogeneity tests (analytic p-values of
#                the pooled interaction models and the continuous interactions);
#   permutation  the eight statistics recomputed under 50 permutations of the cities' group labels and
#                moderators, within strata of the policy year (so that every group keeps its numbers
#                of never-treated, 2015 and 2016 cities; permutations.csv, made by
#                splitmix_permutations.py with seed 1: the draws Compendium makes with the same seed;
#                all splits move together, city u taking every label of city perm[u]),
#                the permutation p-values (1 + #{|T*| >= |T|})/(B + 1)
#                of the studentised and of the raw statistics, their Holm adjustment and the
#                Romano-Wolf step-down adjustment (Romano and Wolf 2005, 2016; as Stata's rwolf).
#
# The eight hypotheses (the family), each a difference between subsample coefficients of treat
# (statistic T = d / sqrt(se_a^2 + se_b^2), the subsamples sharing no cluster) or a continuous
# interaction (T = its clustered t):
#   size_mega_vs_small, size_large_vs_small, ip_high_vs_low, cap_high_vs_low,
#   ip_t3_vs_t1, cap_t3_vs_t1, ip_continuous, cap_continuous.
#
# usage: Rscript heterogeneity_reference.R PANEL.csv PERMUTATIONS.csv OUTDIR
# Output: OUTDIR/heterogeneity_reference.csv (case,key,value; 17 significant digits) and
#         OUTDIR/groups.csv (the city-level groups and moderators).
source("tests/reference/use_fixest.R")
use_fixest()
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 3) stop("usage: Rscript heterogeneity_reference.R PANEL.csv PERMUTATIONS.csv OUTDIR")
d <- read.csv(args[1], stringsAsFactors = FALSE)
perms <- as.matrix(read.csv(args[2], header = FALSE))[, -1, drop = FALSE]
outdir <- args[3]

out <- list()
put <- function(case, key, value) out[[length(out) + 1]] <<- data.frame(case = case, key = key,
  value = formatC(as.numeric(value), digits = 17, format = "g"), stringsAsFactors = FALSE)

controls <- c("econ_density", "infrastructure", "gov_intervention", "fdi", "avg_wage")
ctrl <- paste(controls, collapse = " + ")
fit <- function(fml, data) feols(as.formula(fml), data = data, cluster = ~city_code)

# rename: maps fixest's coefficient names to the names written (the event study's hand-made dummies).
put_fit <- function(case, m, wald_keep = NULL, rename = identity) {
  put(case, "nobs", nobs(m)); put(case, "K", m$nparams)
  put(case, "df_t", degrees_freedom(m, "t"))
  put(case, "clusters:city_code", length(unique(m$fixef_id$city_code)))
  ct <- coeftable(m); ci <- confint(m, level = 0.95)
  for (tn in rownames(ct)) {
    nm <- rename(tn)
    put(case, paste0("coef:", nm, ":estimate"), ct[tn, 1]); put(case, paste0("coef:", nm, ":std_error"), ct[tn, 2])
    put(case, paste0("coef:", nm, ":t"), ct[tn, 3]); put(case, paste0("coef:", nm, ":p"), ct[tn, 4])
    put(case, paste0("coef:", nm, ":ci_low"), ci[tn, 1]); put(case, paste0("coef:", nm, ":ci_high"), ci[tn, 2])
  }
  V <- vcov(m)
  for (a in rownames(V)) for (b in colnames(V)) put(case, paste0("vcov:", rename(a), ":", rename(b)), V[a, b])
  if (!is.null(wald_keep)) {
    w <- wald(m, keep = wald_keep, print = FALSE)
    put(case, "wald:stat", w$stat); put(case, "wald:df1", w$df1); put(case, "wald:df2", w$df2); put(case, "wald:p", w$p)
  }
  invisible(m)
}

# --- mechanisms -----------------------------------------------------------------------------------
outcomes <- c("talent_share", "ln_new_firms", "resilience")
for (y in outcomes) {
  put_fit(paste0("mech_", y, "_nocontrols"), fit(paste(y, "~ treat | city_code + year"), d))
  put_fit(paste0("mech_", y, "_controls"), fit(paste(y, "~ treat +", ctrl, "| city_code + year"), d))
}
# Event study: rel_year binned at -4 and 6, reference -1, never-treated rows zero in every dummy.
relb <- pmin(pmax(d$rel_year, -4), 6)
lab <- function(v) ifelse(v == -4, "<=-4", ifelse(v == 6, ">=6", as.character(v)))
ev <- setdiff(sort(unique(na.omit(relb))), -1)
es <- d; names_ev <- paste0("rel_year::", lab(ev))
for (i in seq_along(ev)) es[[sprintf("ev%d", i)]] <- ifelse(!is.na(relb) & relb == ev[i], 1, 0)
for (y in c("talent_share", "ln_new_firms")) {
  m <- fit(paste(y, "~", paste(sprintf("ev%d", seq_along(ev)), collapse = " + "), "+", ctrl, "| city_code + year"), es)
  # the hand-made dummies ev1, ev2, ... are written under Compendium's i() names (rel_year::<=-4, ...)
  ren <- function(n) { h <- match(n, sprintf("ev%d", seq_along(ev))); if (is.na(h)) n else names_ev[h] }
  put_fit(paste0("event_", y), m, wald_keep = paste0("^ev(", paste(which(ev < -1), collapse = "|"), ")$"), rename = ren)
}

# --- groups ---------------------------------------------------------------------------------------
first_treated_year <- min(d$year[d$treat == 1])
cities <- unique(d$city_code)            # order of first appearance (the panel is sorted by city_code)
pre <- d[d$year < first_treated_year, ]
pre_mean <- function(v) as.numeric(tapply(pre[[v]], factor(pre$city_code, levels = cities), mean))
g <- data.frame(city_code = cities)
g$size_class <- d$size_class[match(cities, d$city_code)]
g$size3 <- ifelse(g$size_class %in% c("megacity", "super_large"), "mega_super",
           ifelse(g$size_class %in% c("large_1", "large_2"), "large", "medium_small"))
g$ip_pre <- pre_mean("ip_protection"); g$cap_pre <- pre_mean("policy_capacity")
split_median <- function(m) ifelse(m > median(m), "high", "low")
split_tercile <- function(m) { q <- quantile(m, c(1, 2) / 3, type = 7); ifelse(m <= q[1], "T1", ifelse(m <= q[2], "T2", "T3")) }
g$ip_median <- split_median(g$ip_pre); g$cap_median <- split_median(g$cap_pre)
g$ip_tercile <- split_tercile(g$ip_pre); g$cap_tercile <- split_tercile(g$cap_pre)
g$ip_c <- g$ip_pre - mean(g$ip_pre); g$cap_c <- g$cap_pre - mean(g$cap_pre)
put("groups", "first_treated_year", first_treated_year)
for (v in c("ip_pre", "cap_pre")) {
  put("groups", paste0("median:", v), median(g[[v]]))
  q <- quantile(g[[v]], c(1, 2) / 3, type = 7); put("groups", paste0("tercile1:", v), q[1]); put("groups", paste0("tercile2:", v), q[2])
  put("groups", paste0("mean:", v), mean(g[[v]]))
}
for (s in c("size3", "ip_median", "cap_median", "ip_tercile", "cap_tercile"))
  for (lv in sort(unique(g[[s]]))) put("groups", paste0("count:", s, ":", lv), sum(g[[s]] == lv))
gw <- g; for (v in c("ip_pre", "cap_pre", "ip_c", "cap_c")) gw[[v]] <- formatC(g[[v]], digits = 17, format = "g")
write.csv(gw, file.path(outdir, "groups.csv"), row.names = FALSE, quote = FALSE)

splits <- list(size3 = "medium_small", ip_median = "low", cap_median = "low", ip_tercile = "T1", cap_tercile = "T1")
attach_groups <- function(d, g) {
  idx <- match(d$city_code, g$city_code)
  for (v in c(names(splits), "ip_c", "cap_c")) d[[v]] <- g[[v]][idx]
  d
}
dg <- attach_groups(d, g)
base <- paste("resilience ~ treat +", ctrl, "| city_code + year")

# --- subsamples, pooled interaction models, continuous interactions ----------------------------------
for (s in names(splits)) {
  for (lv in sort(unique(g[[s]]))) put_fit(paste0("sub_", s, "_", lv), fit(base, dg[dg[[s]] == lv, ]))
  put_fit(paste0("pooled_", s),
          fit(sprintf("resilience ~ treat + i(%s, treat, ref = '%s') + %s | city_code + year", s, splits[[s]], ctrl), dg),
          wald_keep = paste0("^", s, "::"))
  put_fit(paste0("pooled_groupyear_", s),
          fit(sprintf("resilience ~ i(%s, treat) + %s | city_code + year^%s", s, ctrl, s), dg))
}
put_fit("cont_ip", fit(paste("resilience ~ treat + treat:ip_c +", ctrl, "| city_code + year"), dg))
put_fit("cont_cap", fit(paste("resilience ~ treat + treat:cap_c +", ctrl, "| city_code + year"), dg))
put_fit("cont_both", fit(paste("resilience ~ treat + treat:ip_c + treat:cap_c +", ctrl, "| city_code + year"), dg),
        wald_keep = "^treat:")

# --- the family of eight tests: statistics, Holm, permutation, Romano-Wolf -----------------------------
hyp <- c("size_mega_vs_small", "size_large_vs_small", "ip_high_vs_low", "cap_high_vs_low",
         "ip_t3_vs_t1", "cap_t3_vs_t1", "ip_continuous", "cap_continuous")
contrasts <- list(size_mega_vs_small = c("size3", "mega_super", "medium_small"),
                  size_large_vs_small = c("size3", "large", "medium_small"),
                  ip_high_vs_low = c("ip_median", "high", "low"), cap_high_vs_low = c("cap_median", "high", "low"),
                  ip_t3_vs_t1 = c("ip_tercile", "T3", "T1"), cap_t3_vs_t1 = c("cap_tercile", "T3", "T1"))
continuous <- list(ip_continuous = "ip_c", cap_continuous = "cap_c")

# Every statistic of the family on data dd: raw (difference or interaction) and studentised.
family <- function(dd) {
  sub <- list()
  est <- function(s, lv) {
    key <- paste(s, lv)
    if (is.null(sub[[key]])) {
      m <- fit(base, dd[dd[[s]] == lv, ]); sub[[key]] <<- c(coef(m)[["treat"]], se(m)[["treat"]])
    }
    sub[[key]]
  }
  raw <- numeric(0); stud <- numeric(0)
  for (h in names(contrasts)) {
    cc <- contrasts[[h]]; a <- est(cc[1], cc[2]); b <- est(cc[1], cc[3])
    raw[h] <- a[1] - b[1]; stud[h] <- (a[1] - b[1]) / sqrt(a[2]^2 + b[2]^2)
  }
  for (h in names(continuous)) {
    m <- fit(sprintf("resilience ~ treat + treat:%s + %s | city_code + year", continuous[[h]], ctrl), dd)
    tn <- paste0("treat:", continuous[[h]]); raw[h] <- coef(m)[[tn]]; stud[h] <- tstat(m)[[tn]]
  }
  list(raw = raw[hyp], stud = stud[hyp])
}

obs <- family(dg)
analytic_p <- c(
  size_mega_vs_small = pvalue(fit(sprintf("resilience ~ treat + i(size3, treat, ref = 'medium_small') + %s | city_code + year", ctrl), dg))[["size3::mega_super:treat"]],
  size_large_vs_small = pvalue(fit(sprintf("resilience ~ treat + i(size3, treat, ref = 'medium_small') + %s | city_code + year", ctrl), dg))[["size3::large:treat"]],
  ip_high_vs_low = pvalue(fit(sprintf("resilience ~ treat + i(ip_median, treat, ref = 'low') + %s | city_code + year", ctrl), dg))[["ip_median::high:treat"]],
  cap_high_vs_low = pvalue(fit(sprintf("resilience ~ treat + i(cap_median, treat, ref = 'low') + %s | city_code + year", ctrl), dg))[["cap_median::high:treat"]],
  ip_t3_vs_t1 = pvalue(fit(sprintf("resilience ~ treat + i(ip_tercile, treat, ref = 'T1') + %s | city_code + year", ctrl), dg))[["ip_tercile::T3:treat"]],
  cap_t3_vs_t1 = pvalue(fit(sprintf("resilience ~ treat + i(cap_tercile, treat, ref = 'T1') + %s | city_code + year", ctrl), dg))[["cap_tercile::T3:treat"]],
  ip_continuous = pvalue(fit(paste("resilience ~ treat + treat:ip_c +", ctrl, "| city_code + year"), dg))[["treat:ip_c"]],
  cap_continuous = pvalue(fit(paste("resilience ~ treat + treat:cap_c +", ctrl, "| city_code + year"), dg))[["treat:cap_c"]])
holm <- p.adjust(analytic_p, "holm")
for (h in hyp) {
  put("family", paste0("raw:", h), obs$raw[[h]]); put("family", paste0("stud:", h), obs$stud[[h]])
  put("family", paste0("p_analytic:", h), analytic_p[[h]]); put("family", paste0("holm_analytic:", h), holm[[h]])
}

B <- nrow(perms)
null_raw <- matrix(NA_real_, B, length(hyp), dimnames = list(NULL, hyp)); null_stud <- null_raw
for (b in seq_len(B)) {
  p <- perms[b, ] + 1                     # unit u takes the groups and moderators of unit p[u]
  gp <- g; for (v in c(names(splits), "ip_c", "cap_c")) gp[[v]] <- g[[v]][p]
  f <- family(attach_groups(d, gp))
  null_raw[b, ] <- f$raw; null_stud[b, ] <- f$stud
  for (h in hyp) { put("permutation", sprintf("raw:%d:%s", b, h), f$raw[[h]]); put("permutation", sprintf("stud:%d:%s", b, h), f$stud[[h]]) }
}
perm_p <- function(obs, null) sapply(seq_along(obs), function(j) (1 + sum(abs(null[, j]) >= abs(obs[j]))) / (B + 1))
romano_wolf <- function(obs, null) {
  t0 <- abs(obs); tn <- abs(null); ord <- order(t0, decreasing = TRUE); S <- length(t0)
  padj <- numeric(S); prev <- 0
  for (j in seq_len(S)) {
    rest <- ord[j:S]
    mx <- apply(tn[, rest, drop = FALSE], 1, max)
    pj <- (1 + sum(mx >= t0[ord[j]])) / (B + 1)
    prev <- max(prev, pj); padj[ord[j]] <- prev
  }
  padj
}
p_stud <- perm_p(obs$stud, null_stud); p_raw <- perm_p(obs$raw, null_raw)
rw <- romano_wolf(obs$stud, null_stud)
put("permutation", "draws", B); put("permutation", "seed", 1)
for (j in seq_along(hyp)) {
  h <- hyp[j]
  put("permutation", paste0("p_stud:", h), p_stud[j]); put("permutation", paste0("p_raw:", h), p_raw[j])
  put("permutation", paste0("holm_stud:", h), p.adjust(p_stud, "holm")[j])
  put("permutation", paste0("romano_wolf:", h), rw[j])
}

# --- Romano-Wolf and Holm on a fixed, spread-out input (tests the step-down beyond the floor 1/(B + 1)) ---
# Six statistics and 199 null draws made by a deterministic formula (no random numbers): a common
# factor plus an idiosyncratic part, so the hypotheses' null draws are correlated, as they are when
# they come from the same permutations.
S <- 6; Bf <- 199
frac <- function(x) x - floor(x)
common <- qnorm(frac((1:Bf) * 0.6180339887498949 + 0.1))
null_f <- sapply(1:S, function(s) 0.6 * common + 0.8 * qnorm(frac((1:Bf) * sqrt(2 + s) + 0.37 * s)))
obs_f <- c(3.1, 2.2, -1.9, 0.8, 2.05, -0.3)
B <- Bf
rw_f <- romano_wolf(obs_f, null_f); p_f <- perm_p(obs_f, null_f)
write.csv(data.frame(draw = c(0, 1:Bf), rbind(obs_f, null_f)) |> setNames(c("draw", paste0("h", 1:S))) |>
            (\(x) { for (j in 2:ncol(x)) x[[j]] <- formatC(x[[j]], digits = 17, format = "g"); x })(),
          file.path(outdir, "romano_wolf_input.csv"), row.names = FALSE, quote = FALSE)
for (j in 1:S) {
  put("rw_fixed", paste0("p:h", j), p_f[j]); put("rw_fixed", paste0("romano_wolf:h", j), rw_f[j])
  put("rw_fixed", paste0("holm:h", j), p.adjust(p_f, "holm")[j])
}

# --- the simulator's true effects by group (observed minus untreated potential outcome) -------------
po <- read.csv(file.path(dirname(args[1]), "potential_outcomes.csv"))
stopifnot(all(po$city_code == d$city_code), all(po$year == d$year))
tr <- dg$treat == 1
eff <- dg$resilience - po$resilience_y0
put("truth", "att:resilience", mean(eff[tr]))
put("truth", "att:talent_share", mean((d$talent_share - po$talent_share_y0)[tr]))
put("truth", "att:ln_new_firms", mean((d$ln_new_firms - po$ln_new_firms_y0)[tr]))
for (s in names(splits)) for (lv in sort(unique(g[[s]]))) {
  sel <- tr & dg[[s]] == lv
  put("truth", sprintf("att:%s:%s", s, lv), mean(eff[sel])); put("truth", sprintf("city_years:%s:%s", s, lv), sum(sel))
}
# the slope of the true effect on the centred moderator over treated city-years (OLS with intercept)
put("truth", "slope:ip_c", coef(lm(eff[tr] ~ dg$ip_c[tr]))[[2]])
put("truth", "slope:cap_c", coef(lm(eff[tr] ~ dg$cap_c[tr]))[[2]])

res <- do.call(rbind, out)
tmp <- file.path(outdir, "heterogeneity_reference.csv.tmp")
write.csv(res, tmp, row.names = FALSE, quote = TRUE)
invisible(file.rename(tmp, file.path(outdir, "heterogeneity_reference.csv")))
cat("wrote", nrow(res), "values\n")
