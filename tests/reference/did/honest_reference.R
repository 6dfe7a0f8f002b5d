# Reference values for the event study that feeds the HonestDiD sensitivity analysis
# (Compendium.Econometrics.Sensitivity.HonestDid) on ehec.csv, from R fixest 0.12.2.
#
# Run from the repository root:
#   Rscript tests/reference/did/honest_reference.R
# Writes tests/reference/did/honest_reference.csv (case, quantity, term, value; 17 significant digits).
#
# Sample and model exactly as in the HonestDiD README (Rambachan & Roth): years < 2016, states with
# yexp2 == 2015 dropped, D = 1{yexp2 == 2014}; dins ~ i(year, D, ref = 2013) | stfips + year,
# clustered by state (fixest defaults). betahat = the 7 coefficients (2008..2012, 2014, 2015) and
# sigma = their clustered vcov are the inputs of the sensitivity analysis; the robust confidence sets
# themselves are checked against the published README numbers (see README.md in this folder), because
# the R HonestDiD package (and its LP/QP solvers Rglpk, lpSolveAPI, CVXR) cannot be installed here.
source("tests/reference/use_fixest.R")
use_fixest()
out_dir <- "tests/reference/did"
fmt <- function(x) sprintf("%.17g", x)
rows <- list()
add <- function(case, quantity, term, value)
  rows[[length(rows) + 1]] <<- data.frame(case = case, quantity = quantity, term = as.character(term), value = fmt(value))

df <- read.csv(file.path(out_dir, "ehec.csv"))
d <- df[df$year < 2016 & (is.na(df$yexp2) | df$yexp2 != 2015), ]
d$D <- as.numeric(!is.na(d$yexp2) & d$yexp2 == 2014)
m <- feols(dins ~ i(year, D, ref = 2013) | stfips + year, cluster = "stfips", data = d)
b <- coef(m); V <- vcov(m)
yrs <- sub("^year::([0-9]+):D$", "\\1", names(b))
stopifnot(identical(yrs, c("2008", "2009", "2010", "2011", "2012", "2014", "2015")))
# the validation README's printed values
stopifnot(max(abs(b - c(-0.0052853424, -0.0112973184, -0.0026759755, -0.0014193119, 0.0003396775,
                        0.0464468645, 0.0692061803))) < 5e-11)
for (i in seq_along(b)) {
  add("ehec", "estimate", yrs[i], b[i]); add("ehec", "std_error", yrs[i], sqrt(V[i, i]))
  for (j in seq_along(b)) add("ehec", "vcov", paste0(yrs[i], ":", yrs[j]), V[i, j])
}
add("ehec", "sample", "nobs", nobs(m)); add("ehec", "sample", "clusters", length(unique(d$stfips)))
# original (non-robust) 95% interval for the first post-period effect and the post-period average
for (nm in c("first", "average")) {
  l <- if (nm == "first") c(1, 0) else c(0.5, 0.5)
  est <- sum(l * b[6:7]); se <- sqrt(drop(t(l) %*% V[6:7, 6:7] %*% l))
  add("ehec", "original_ci_low", nm, est - qnorm(0.975) * se)
  add("ehec", "original_ci_high", nm, est + qnorm(0.975) * se)
}

out <- do.call(rbind, rows)
write.csv(out, file.path(out_dir, "honest_reference.csv"), row.names = FALSE, quote = FALSE)
cat("wrote", nrow(out), "values\n")
