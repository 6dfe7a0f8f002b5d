# Reference values for Compendium.Estimation.Vif.
# Run from the repository root:  Rscript tests/reference/vif/vif_reference.R
# 1. car::vif on an OLS fit with intercept (the usual definition VIF_j = 1/(1 - R_j^2), R_j^2 from
#    regressing x_j on the other regressors and an intercept); data: mtcars (written out).
# 2. VIF after absorbing fixed effects (state and year) on castle.csv: R_j^2 is the R^2 of the
#    regression of the within-transformed x_j on the other within-transformed regressors (no
#    intercept), computed here with lm() on factor dummies (Frisch-Waugh-Lovell).
suppressMessages(library(car))
out <- "tests/reference/vif"
fmt <- function(x) sprintf("%.17g", x)
rows <- list()
add <- function(case, term, value) rows[[length(rows) + 1]] <<- data.frame(case = case, term = term, value = fmt(value))

mt <- mtcars[, c("mpg", "disp", "hp", "wt", "drat", "qsec")]
write.csv(mt, file.path(out, "mtcars.csv"), row.names = FALSE)
v <- car::vif(lm(mpg ~ disp + hp + wt + drat + qsec, data = mt))
for (t in names(v)) add("mtcars", t, v[[t]])

cs <- read.csv("tests/reference/fe/castle_derived.csv")   # castle of bacondecomp, verbatim (NA written empty), plus derived columns
cs$lpopwt <- log(cs$popwt)
xs <- c("post", "lpopwt", "l_homicide")
v2 <- car::vif(lm(as.formula(paste("year ~", paste(xs, collapse = "+"))), data = cs))
for (t in names(v2)) add("castle_plain", t, v2[[t]])
# popwt is constant within a state (absorbed by the state FE), so the FE case uses cdl instead.
xs <- c("post", "cdl", "l_homicide")
w <- sapply(xs, function(x) resid(lm(as.formula(paste(x, "~ factor(sid) + factor(year)")), data = cs)))
for (j in seq_along(xs)) {
  r2 <- summary(lm(w[, j] ~ w[, -j] - 1))$r.squared
  add("castle_fe", xs[j], 1 / (1 - r2))
}
write.csv(do.call(rbind, rows), file.path(out, "vif_reference.csv"), row.names = FALSE, quote = TRUE)
