# The example data set of the README's library example (examples/fit_csv.cc)
# and R's estimates for it (R 4.2, Debian r-base-core):
#   Rscript make_probit.R
set.seed(7)
n <- 400
dose <- round(runif(n, 0, 4), 3)
age <- round(rnorm(n, 50, 10), 1)
y <- rbinom(n, 1, pnorm(-1.5 + 0.8 * dose + 0.01 * (age - 50)))
write.csv(data.frame(y, dose, age), "probit.csv", row.names = FALSE, quote = FALSE)
ctl <- glm.control(epsilon = 1e-12)
f <- glm(y ~ dose + age, family = binomial(link = "probit"), control = ctl)
f <- glm(y ~ dose + age, family = binomial(link = "probit"), control = ctl,
         start = coef(f))
print(sprintf("%.10g", coef(f)))
