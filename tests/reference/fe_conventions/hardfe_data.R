# A worker x firm panel that is hard for alternating projections (issue 9), made deterministically.
#
# Firms sit in `regions` regions laid out on a line, `firms_per_region` each. Every worker belongs
# to one region and moves freely between the firms of that region (each period: stays with
# probability 0.8, else draws a firm of the region). Adjacent regions r and r + 1 are linked only by
# a few movers (a number drawn uniformly from movers_min..movers_max for each pair), who spend the
# first half of the periods in region r and the second half in r + 1. The connected set is one
# chain of weakly linked blocks, so the worker-firm bipartite graph has a tiny spectral gap and
# plain alternating projections converge at a rate close to 1 per sweep.
#
# Outcome: y = 0.4 x1 - 0.25 x2 + a_worker + psi_firm + e, with a firm effect that trends along
# the chain (psi = 0.05 region + N(0, 0.3^2)), x1 correlated with both effects, x2 with the period.
# Values are rounded to 6 decimals so that the CSV holds them exactly as R used them.
#
# gen_hard(workers_per_region, regions, firms_per_region, periods, movers_min, movers_max, seed)
#   returns a data.frame: worker, firm, region, period, y, x1, x2 (one row per worker-period).
# Sizes used: the reference test (hardfe_reference.R): 100 workers x 40 regions x 10 periods
# = 40,000 rows; the benchmark (issue 9's shape): 2,000 workers x 50 regions x 10 periods = 10^6 rows,
# 100,000 workers, 5,000 firms, 5-500 movers per adjacent pair.
gen_hard <- function(workers_per_region, regions, firms_per_region, periods = 10,
                     movers_min = 1, movers_max = 3, seed = 1) {
  set.seed(seed)
  nw <- workers_per_region * regions
  region <- rep(seq_len(regions), each = workers_per_region)
  # movers: the first m workers of region r (r < regions) move to r + 1 at mid-period
  m <- sample(movers_min:movers_max, regions - 1, replace = TRUE)
  m <- pmin(m, workers_per_region)
  pos <- ave(seq_len(nw), region, FUN = seq_along)
  mover <- region < regions & pos <= c(m, 0)[region]
  first_firm <- (region - 1) * firms_per_region
  firm <- matrix(0L, nw, periods)
  firm[, 1] <- first_firm + sample.int(firms_per_region, nw, replace = TRUE)
  half <- periods %/% 2
  for (t in 2:periods) {
    reg_t <- if (t > half) region + mover else region
    base <- (reg_t - 1) * firms_per_region
    stay <- runif(nw) < 0.8 & !(mover & t == half + 1)
    draw <- base + sample.int(firms_per_region, nw, replace = TRUE)
    firm[, t] <- ifelse(stay, firm[, t - 1], draw)
  }
  a <- rnorm(nw) + 0.1 * region
  nf <- regions * firms_per_region
  psi <- 0.05 * rep(seq_len(regions), each = firms_per_region) + rnorm(nf, sd = 0.3)
  d <- data.frame(worker = rep(seq_len(nw), periods), firm = as.vector(firm),
                  period = rep(seq_len(periods), each = nw))
  d$region <- (d$firm - 1) %/% firms_per_region + 1
  n <- nrow(d)
  d$x1 <- round(0.5 * psi[d$firm] + 0.3 * a[d$worker] + rnorm(n), 6)
  d$x2 <- round(rnorm(n) + 0.2 * d$period, 6)
  d$y <- round(0.4 * d$x1 - 0.25 * d$x2 + a[d$worker] + psi[d$firm] + rnorm(n), 6)
  d <- d[order(d$worker, d$period), c("worker", "firm", "region", "period", "y", "x1", "x2")]
  rownames(d) <- NULL
  d
}
