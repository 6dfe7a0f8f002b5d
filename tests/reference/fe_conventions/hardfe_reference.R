# Reference for the hard fixed-effects case (issue 9): y ~ x1 + x2 | worker + firm on the
# worker x firm chain made by hardfe_data.R (40,000 rows, 4,000 workers, 200 firms in 40 regions,
# 1-3 movers between adjacent regions).
#
# "Exact" solution: the full dummy regression [x1 x2 D_worker D_firm(without the first firm)] solved
# by a sparse QR (Matrix::qr, CSparse), independently of any iteration; cross-checked against a
# sparse Cholesky of the normal equations with two steps of iterative refinement (they must agree to
# 1e-10 relative). Variances by hand from the exact residuals, fixest's conventions:
#   iid            : sigma^2 = RSS/(n - K) times the (x1, x2) block of (X'X)^-1, K = 2 + workers + firms - 1
#   cluster:worker : CR0 x G/(G - 1) (n - 1)/(n - K), K = 2 + firms (worker FE nested in the cluster)
# When R fixest is installed (tests/reference/use_fixest.R: FIXEST_LIB, else ~/.cache/r-fixest-lib), its estimates with the default
# tolerance and with fixef.tol = 1e-10 are written for the record (keys fixest_*), with its iterations
# and time: fixest stops on the change of the fixed effects, not of the coefficients.
#
# Run from the repository root:  Rscript tests/reference/fe_conventions/hardfe_reference.R
# Writes tests/reference/fe_conventions/{hardfe.csv, hardfe_reference.csv}.
suppressPackageStartupMessages(library(Matrix))
out <- "tests/reference/fe_conventions"
source(file.path(out, "hardfe_data.R"))
source("tests/reference/use_fixest.R")
has_fixest <- use_fixest(required = FALSE)

d <- gen_hard(workers_per_region = 100, regions = 40, firms_per_region = 5, periods = 10,
              movers_min = 1, movers_max = 3, seed = 9)
path <- file.path(out, "hardfe.csv")
write.csv(d, path, row.names = FALSE, quote = FALSE)
d <- read.csv(path)
n <- nrow(d); nw <- max(d$worker); nf <- max(d$firm)
stopifnot(length(unique(d$worker)) == nw, length(unique(d$firm)) == nf)

rows <- list()
put <- function(key, value) rows[[length(rows) + 1]] <<- data.frame(case = "hardfe", key = key,
  value = sprintf("%.17g", as.numeric(value)), stringsAsFactors = FALSE)

Dw <- sparseMatrix(i = seq_len(n), j = d$worker, x = 1, dims = c(n, nw))
Df <- sparseMatrix(i = seq_len(n), j = d$firm, x = 1, dims = c(n, nf))[, -1]
X <- cbind(Matrix(cbind(d$x1, d$x2), sparse = TRUE), Dw, Df)
y <- d$y
t0 <- proc.time()[["elapsed"]]
q <- qr(X)
b_qr <- as.vector(qr.coef(q, y))
t_qr <- proc.time()[["elapsed"]] - t0
# Cholesky of X'X with iterative refinement
XtX <- crossprod(X); ch <- Cholesky(XtX, LDL = FALSE)
b_ch <- as.vector(solve(ch, crossprod(X, y)))
for (it in 1:2) b_ch <- b_ch + as.vector(solve(ch, crossprod(X, y - X %*% b_ch)))
stopifnot(max(abs(b_qr[1:2] - b_ch[1:2]) / abs(b_qr[1:2])) < 1e-10)
b <- b_qr[1:2]; names(b) <- c("x1", "x2")
e <- as.vector(y - X %*% b_qr)
rss <- sum(e^2)
# (X'X)^-1 block of x1, x2 = inverse of the Schur complement x'M_D x, M_D via the sparse Cholesky of D'D
D <- cbind(Dw, Df); chD <- Cholesky(crossprod(D))
Xs <- cbind(d$x1, d$x2)
Xt <- Xs - as.matrix(D %*% solve(chD, crossprod(D, Xs)))      # demeaned x1, x2 (exact)
bread <- solve(crossprod(Xt))
K <- 2 + nw + nf - 1
Viid <- bread * rss / (n - K)
S <- rowsum(Xt * e, d$worker); Kc <- 2 + nf
Vcl <- bread %*% crossprod(S) %*% bread * nw / (nw - 1) * (n - 1) / (n - Kc)
put("nobs", n); put("workers", nw); put("firms", nf); put("K", K); put("K_cluster", Kc); put("rss", rss)
for (j in 1:2) {
  nm <- names(b)[j]
  put(paste0("coef:", nm, ":estimate"), b[j])
  put(paste0("iid:", nm, ":std_error"), sqrt(Viid[j, j]))
  put(paste0("cluster:", nm, ":std_error"), sqrt(Vcl[j, j]))
  put(paste0("chol_minus_qr:", nm), b_ch[j] - b_qr[j])
}
put("seconds_sparse_qr", t_qr)
if (has_fixest) {
  setFixest_nthreads(2)
  for (tol in c(1e-6, 1e-10)) {
    t0 <- proc.time()[["elapsed"]]
    f <- feols(y ~ x1 + x2 | worker + firm, d, fixef.tol = tol, fixef.iter = 1e5)
    el <- proc.time()[["elapsed"]] - t0
    tag <- if (tol == 1e-6) "fixest_default" else "fixest_tol1e-10"
    for (nm in names(b)) put(paste0(tag, ":", nm, ":rel_error"), (coef(f)[[nm]] - b[[nm]]) / abs(b[[nm]]))
    put(paste0(tag, ":iterations"), max(f$iterations)); put(paste0(tag, ":seconds"), el)
  }
}
res <- do.call(rbind, rows)
write.csv(res, file.path(out, "hardfe_reference.csv"), row.names = FALSE, quote = FALSE)
print(res, row.names = FALSE)
