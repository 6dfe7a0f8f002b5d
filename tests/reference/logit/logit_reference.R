# Reference values for Compendium.Estimation.Logit: R glm(family = binomial) (IRLS, R 4.2).
# Run from the repository root:  Rscript tests/reference/logit/logit_reference.R
# Writes tests/reference/logit/swisslabor.csv (the data, from AER) and logit_reference.csv
# (long format: case, quantity, term, value; values printed with 17 significant digits).
suppressMessages(library(AER))
out <- "tests/reference/logit"
fmt <- function(x) sprintf("%.17g", x)
rows <- list()
add <- function(case, quantity, term, value)
  rows[[length(rows) + 1]] <<- data.frame(case = case, quantity = quantity, term = term, value = fmt(value))

# summary.glm takes standard errors from the IRLS weights of the last iteration, i.e. evaluated
# at the previous beta; at epsilon = 1e-14 that leaves them ~1e-7 off the information matrix at
# the optimum, which the far-tail p-values amplify. So the SEs are recomputed here as
# sqrt(diag((X'WX)^-1)) with W = p(1 - p) at the converged beta (what Compendium reports).
record <- function(case, fit) {
  X <- model.matrix(fit); p <- fitted(fit)
  V <- solve(crossprod(X * sqrt(p * (1 - p))))
  b <- coef(fit); se <- sqrt(diag(V)); z <- b / se
  stopifnot(max(abs(se / summary(fit)$coefficients[, 2] - 1)) < 1e-5)
  for (t in names(b)) {
    add(case, "estimate", t, b[[t]]); add(case, "std_error", t, se[[t]])
    add(case, "z", t, z[[t]]);        add(case, "p", t, 2 * pnorm(-abs(z[[t]])))
  }
  ll <- as.numeric(logLik(fit))
  ll0 <- as.numeric(logLik(update(fit, . ~ 1)))
  add(case, "loglik", "", ll); add(case, "loglik_null", "", ll0)
  add(case, "mcfadden_r2", "", 1 - ll / ll0); add(case, "nobs", "", nobs(fit))
  p <- fitted(fit)
  for (i in c(1, 2, 3, length(p))) add(case, "fitted", as.character(i), p[i])
}

# 1. SwissLabor (Gerfin 1996; AER): labour-force participation of Swiss women.
data("SwissLabor", package = "AER")
sl <- data.frame(participation = as.integer(SwissLabor$participation == "yes"),
                 income = SwissLabor$income, age = SwissLabor$age, agesq = SwissLabor$age^2,
                 education = SwissLabor$education, youngkids = SwissLabor$youngkids,
                 oldkids = SwissLabor$oldkids, foreign = as.integer(SwissLabor$foreign == "yes"))
write.csv(sl, file.path(out, "swisslabor.csv"), row.names = FALSE)
f1 <- glm(participation ~ income + age + agesq + education + youngkids + oldkids + foreign,
          data = sl, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))
record("swisslabor", f1)

# 2. mpdta (did package): treated-group indicator on log population.
mp <- read.csv("tests/reference/fe/mpdta_derived.csv")   # mpdta of the R package did, verbatim, plus derived columns
f2 <- glm(treat ~ lpop, data = mp, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))
record("mpdta", f2)

write.csv(do.call(rbind, rows), file.path(out, "logit_reference.csv"), row.names = FALSE, quote = TRUE)
