# Data sets with predictors far from zero relative to their spread (issue 20,
# defect 1) and R's numbers for them. Run with `Rscript make_reference.R` in
# this folder: writes the CSV files and prints the reference values that
# tests/tools/uncentred_predictors_test.cc pins (R 4.2, Debian r-base-core).
set.seed(20261206)
ctl <- glm.control(epsilon = 1e-12, maxit = 100)
show <- function(label, fit) {
  s <- summary(fit)$coefficients
  cat(label, "\n")
  for (k in seq_len(nrow(s))) {
    cat(sprintf("  %-12s %.17g %.17g\n", rownames(s)[k], s[k, 1], s[k, 2]))
  }
  cat(sprintf("  deviance %.17g null %.17g aic %.17g\n", deviance(fit),
              fit$null.deviance, AIC(fit)))
}

# Logistic regression on a UTM northing (metres): 300 sites along 40 m.
n <- 300
northing <- round(5123000 + runif(n, 0, 40), 2)
elevation <- round(rnorm(n, 850, 30), 1)
eta <- -2 + 0.25 * (northing - 5123020) + 0.01 * (elevation - 850)
y <- rbinom(n, 1, plogis(eta))
utm <- data.frame(y, northing, elevation)
write.csv(utm, "utm_logistic.csv", row.names = FALSE, quote = FALSE)
f <- glm(y ~ northing + elevation, family = binomial, data = utm, control = ctl)
f <- glm(y ~ northing + elevation, family = binomial, data = utm, control = ctl,
         start = coef(f))
show("glm(y ~ northing + elevation, binomial, start = coef(fit))", f)

# Gaussian regression on unix timestamps (seconds) over one hour.
n <- 200
timestamp <- 1733400000 + sort(sample.int(3600, n))
load <- round(40 + 0.004 * (timestamp - 1733401800) + rnorm(n, 0, 0.5), 3)
unix <- data.frame(load, timestamp)
write.csv(unix, "unix_gaussian.csv", row.names = FALSE, quote = FALSE)
g <- glm(load ~ timestamp, family = gaussian, data = unix)
show("glm(load ~ timestamp, gaussian)", g)
cat(sprintf("  dispersion %.17g\n", summary(g)$dispersion))
l <- lm(load ~ timestamp, data = unix)
cat(sprintf("  lm sigma %.17g\n", summary(l)$sigma))

# A predictor offset by 1e6 with unit spread, logistic and Gaussian.
n <- 250
x <- round(1e6 + rnorm(n), 4)
z <- round(rnorm(n), 4)
yb <- rbinom(n, 1, plogis(0.8 * (x - 1e6) - 0.5 * z))
yg <- round(3 + 1.5 * (x - 1e6) + 0.7 * z + rnorm(n, 0, 0.3), 4)
offset <- data.frame(yb, yg, x, z)
write.csv(offset, "offset_1e6.csv", row.names = FALSE, quote = FALSE)
h <- glm(yb ~ x + z, family = binomial, data = offset, control = ctl)
h <- glm(yb ~ x + z, family = binomial, data = offset, control = ctl,
         start = coef(h))
show("glm(yb ~ x + z, binomial, start = coef(fit))", h)
k <- glm(yg ~ x + z, family = gaussian, data = offset)
show("glm(yg ~ x + z, gaussian)", k)
cat(sprintf("  dispersion %.17g\n", summary(k)$dispersion))
# A column that is exactly a linear combination stays aliased.
offset$w <- 2 * offset$x - 3 * offset$z
a <- glm(yb ~ x + z + w, family = binomial, data = offset)
cat("aliased w:", is.na(coef(a)["w"]), "\n")
