# Writes the R data sets of tests/data/r/ as CSV files and R's reference
# numbers for them as tests/data/r/reference/<case>.json. Run from the
# repository root:
#
#   Rscript tests/data/r/make_reference.R
#
# Every fit reads its data back from the CSV file just written, with every
# text column a plain (unordered) factor whose levels are sorted as bytes
# (sort(method = "radix")): treatment contrasts against the first level in
# that order, as a CSV text column gives them. The data frames named in the
# stored calls (warpbreaks, infert, Insurance, ...) are these CSV versions.
#
# Each GLM case is fitted as `fit`, the plain call (its iteration count is
# stored), and `fit2`, the same call restarted from coef(fit) with epsilon
# 1e-14 and repeated from its own coefficients until they repeat, whose
# estimates, standard errors, deviance and likelihood are stored (R's
# summary.glm takes its weights from the start of the last iteration, so a
# loosely converged fit's standard errors are those of a slightly different
# point). The script checks the standard errors against the Fisher
# information recomputed at the final estimate, and stops when a check
# fails. tests/data/r/README.md describes the files and every field.

suppressPackageStartupMessages({
  library(MASS)
  library(nnet)
  library(sandwich)
})

out_dir <- file.path("tests", "data", "r")
ref_dir <- file.path(out_dir, "reference")
if (!dir.exists(out_dir)) {
  stop("run from the repository root: Rscript tests/data/r/make_reference.R")
}
dir.create(ref_dir, showWarnings = FALSE)

tight <- "glm.control(epsilon = 1e-14, maxit = 100)"

# ---------------------------------------------------------------------------
# CSV files

# Sorted as bytes, whatever the locale.
sorted_levels <- function(x) sort(unique(as.character(x)), method = "radix")

relevel_sorted <- function(d) {
  for (name in names(d)) {
    if (is.factor(d[[name]]) || is.character(d[[name]])) {
      d[[name]] <- factor(as.character(d[[name]]),
                          levels = sorted_levels(d[[name]]), ordered = FALSE)
    }
  }
  d
}

# The shortest decimal text (at most 17 significant digits) that reads back
# as the same double; integers without a decimal point.
format_number <- function(x) {
  vapply(x, function(v) {
    if (!is.finite(v)) stop("not a finite number: ", v)
    if (v == round(v) && abs(v) < 2^53) return(sprintf("%.0f", v))
    for (digits in 1:17) {
      text <- sprintf("%.*g", digits, v)
      if (as.numeric(text) == v) return(text)
    }
    stop("no 17-digit text reads back as ", v)
  }, "")
}

quote_text <- function(x) paste0("\"", gsub("\"", "\"\"", x, fixed = TRUE), "\"")

# Header unquoted; text (factor) cells quoted; numbers unquoted.
write_case_csv <- function(d, file) {
  cells <- lapply(d, function(column) {
    if (is.factor(column) || is.character(column)) {
      quote_text(as.character(column))
    } else {
      format_number(as.numeric(column))
    }
  })
  lines <- c(paste(names(d), collapse = ","), do.call(paste, c(cells, sep = ",")))
  writeLines(lines, file.path(out_dir, file), useBytes = TRUE)
}

# Reads a CSV written above; `text` names its text columns (Insurance's
# District has the labels 1-4).
read_case_csv <- function(file, text) {
  classes <- setNames(rep("character", length(text)), text)
  d <- read.csv(file.path(out_dir, file), colClasses = classes,
                check.names = FALSE, stringsAsFactors = FALSE)
  relevel_sorted(d)
}

# Writes `d` (factors already re-levelled) and checks that reading it back
# gives the same values and levels.
save_data <- function(d, file) {
  text <- names(d)[vapply(d, is.factor, TRUE)]
  write_case_csv(d, file)
  back <- read_case_csv(file, text)
  for (name in names(d)) {
    if (is.factor(d[[name]])) {
      stopifnot(identical(levels(back[[name]]), levels(d[[name]])),
                identical(as.character(back[[name]]), as.character(d[[name]])))
    } else {
      stopifnot(identical(as.numeric(back[[name]]), as.numeric(d[[name]])))
    }
  }
  back
}

clotting <- data.frame(
  u = c(5, 10, 15, 20, 30, 40, 60, 80, 100),
  lot1 = c(118, 58, 42, 35, 27, 25, 21, 19, 18),
  lot2 = c(69, 35, 26, 21, 18, 16, 13, 12, 12))

ucb <- as.data.frame(UCBAdmissions)
ucb$admitted <- as.numeric(ucb$Admit == "Admitted")

data_env <- new.env()
data_env$warpbreaks <- save_data(
  relevel_sorted(datasets::warpbreaks[, c("breaks", "wool", "tension")]),
  "warpbreaks.csv")
data_env$infert <- save_data(
  relevel_sorted(datasets::infert[, c("education", "age", "parity", "induced",
                                      "case", "spontaneous", "stratum",
                                      "pooled.stratum")]),
  "infert.csv")
data_env$Insurance <- save_data(
  relevel_sorted(MASS::Insurance[, c("District", "Group", "Age", "Holders",
                                     "Claims")]),
  "insurance.csv")
data_env$esoph <- save_data(
  relevel_sorted(datasets::esoph[, c("agegp", "alcgp", "tobgp", "ncases",
                                     "ncontrols")]),
  "esoph.csv")
data_env$UCBAdmissions <- save_data(
  relevel_sorted(ucb[, c("Admit", "Gender", "Dept", "Freq", "admitted")]),
  "ucbadmissions.csv")
data_env$quine <- save_data(
  relevel_sorted(MASS::quine[, c("Eth", "Sex", "Age", "Lrn", "Days")]),
  "quine.csv")
data_env$clotting <- save_data(clotting, "clotting.csv")
data_env$iris <- save_data(relevel_sorted(datasets::iris), "iris.csv")
data_env$housing <- save_data(
  relevel_sorted(MASS::housing[, c("Sat", "Infl", "Type", "Cont", "Freq")]),
  "housing.csv")
# Written by make_breast_cancer.py from scikit-learn's copy (not by R).
data_env$breast_cancer <- read.csv(file.path(out_dir, "breast_cancer.csv"))

# ---------------------------------------------------------------------------
# JSON, written by hand: numbers with %.17g (exact), NA as null.

json_array <- function(x) structure(list(x), class = "json_array")

json_string <- function(s) {
  s <- gsub("\\", "\\\\", s, fixed = TRUE)
  s <- gsub("\"", "\\\"", s, fixed = TRUE)
  paste0("\"", s, "\"")
}

json_scalar <- function(v) {
  if (is.null(v) || (length(v) == 1 && is.na(v))) return("null")
  if (is.character(v)) return(json_string(v))
  if (is.logical(v)) return(if (v) "true" else "false")
  if (is.integer(v)) return(sprintf("%d", v))
  if (!is.finite(v)) stop("not a finite number: ", v)
  sprintf("%.17g", v)
}

to_json <- function(x, indent = "") {
  inner <- paste0(indent, "  ")
  if (inherits(x, "json_array")) {
    values <- x[[1]]
    if (is.list(values)) {
      items <- vapply(values, to_json, "", indent = inner)
      return(paste0("[\n", inner, paste(items, collapse = paste0(",\n", inner)),
                    "\n", indent, "]"))
    }
    items <- vapply(seq_along(values), function(i) json_scalar(values[i]), "")
    return(paste0("[", paste(items, collapse = ", "), "]"))
  }
  if (is.list(x)) {
    if (length(x) == 0) return("{}")
    keys <- names(x)
    items <- vapply(seq_along(x), function(i) {
      paste0(json_string(keys[i]), ": ", to_json(x[[i]], inner))
    }, "")
    return(paste0("{\n", inner, paste(items, collapse = paste0(",\n", inner)),
                  "\n", indent, "}"))
  }
  if (length(x) != 1) stop("a vector of length ", length(x), " needs json_array")
  json_scalar(x)
}

write_reference <- function(case_name, fields) {
  fields <- c(list(case = case_name,
                   r_version = R.version.string,
                   mass_version = as.character(packageVersion("MASS")),
                   nnet_version = as.character(packageVersion("nnet")),
                   sandwich_version = as.character(packageVersion("sandwich"))),
              fields)
  writeLines(to_json(fields), file.path(ref_dir, paste0(case_name, ".json")))
  cat(sprintf("%-32s written\n", case_name))
}

# Inline new data: one array per column, text as labels.
newdata_json <- function(newdata) {
  lapply(newdata, function(column) {
    json_array(if (is.numeric(column)) as.numeric(column) else as.character(column))
  })
}

# ---------------------------------------------------------------------------
# Checks

# |a - b| <= tol * max(|b|, 1), elementwise.
check_close <- function(what, a, b, tol) {
  err <- max(abs(a - b) / pmax(abs(b), 1))
  if (!is.finite(err) || err > tol) {
    stop(sprintf("%s: relative difference %.3g over %.3g", what, err, tol))
  }
  err
}

# The standard errors of a GLM recomputed from the Fisher information at its
# own estimate: X'WX with W = prior weight · (dμ/dη)² / V(μ), scaled by the
# dispersion.
fisher_std_errors <- function(fit, dispersion) {
  x <- model.matrix(fit)
  eta <- fit$linear.predictors
  mu <- fit$family$linkinv(eta)
  w <- fit$prior.weights * fit$family$mu.eta(eta)^2 / fit$family$variance(mu)
  sqrt(diag(solve(crossprod(x, w * x))) * dispersion)
}

# ---------------------------------------------------------------------------
# GLM cases

run <- function(call_text, env = data_env) {
  eval(parse(text = call_text), envir = env)
}

# `call_text` with more arguments before its closing parenthesis.
add_arguments <- function(call_text, arguments) {
  stopifnot(endsWith(call_text, ")"))
  paste0(substr(call_text, 1, nchar(call_text) - 1), ", ", arguments, ")")
}

# The CSV file of the data frame a call names.
csv_files <- c(warpbreaks = "warpbreaks.csv", infert = "infert.csv",
               Insurance = "insurance.csv", esoph = "esoph.csv",
               UCBAdmissions = "ucbadmissions.csv", quine = "quine.csv",
               clotting = "clotting.csv", iris = "iris.csv",
               housing = "housing.csv", breast_cancer = "breast_cancer.csv")
data_name <- function(call_text) {
  name <- sub(".*data = ([A-Za-z._]+).*", "\\1", call_text)
  stopifnot(name %in% names(csv_files))
  name
}

# A refit from an estimate that meets epsilon 1e-14 stops after one
# iteration, with its weights (and so its standard errors and summary's
# dispersion) from `start`: `refit_text` (start = coef(fit)) runs again, `fit`
# the previous refit, until the coefficients repeat to 1e-14.
refit_until_settled <- function(case_name, refit_text, fit, settle = 1e-14) {
  env <- new.env(parent = data_env)
  env$fit <- fit
  refits <- 1L
  repeat {
    fit2 <- run(refit_text, env)
    change <- max(abs(coef(fit2) - coef(env$fit)) / pmax(abs(coef(fit2)), 1))
    if (change <= settle && refits > 1) break
    if (refits == 50) stop(case_name, ": refits do not settle")
    env$fit <- fit2
    refits <- refits + 1L
  }
  list(fit = fit2, refits = refits)
}

glm_case <- function(case_name, call_text, newdata, weights = NULL,
                     offset = NULL, response = NULL, negbin = FALSE,
                     cluster = NULL, settle = 1e-14, note = NULL) {
  fit <- run(call_text)
  stopifnot(fit$converged)
  if (negbin) {
    # glm.nb has no start argument that skips its alternation: the tight
    # fit is a fresh call with epsilon 1e-14 for both the IRLS and the
    # alternation between the coefficients and theta.
    refit_text <- add_arguments(call_text, paste("control =", tight))
    fit2 <- run(refit_text)
    refits <- 1L
  } else {
    refit_text <- add_arguments(
      call_text, paste("start = coef(fit), control =", tight))
    tight_fit <- refit_until_settled(case_name, refit_text, fit, settle)
    fit2 <- tight_fit$fit
    refits <- tight_fit$refits
  }
  stopifnot(fit2$converged, !anyNA(coef(fit2)))
  s <- summary(fit2)
  check_close(paste(case_name, "estimates of fit and fit2"), coef(fit),
              coef(fit2), 1e-4)
  se_err <- check_close(paste(case_name, "std errors against X'WX"),
                        s$coefficients[, 2],
                        fisher_std_errors(fit2, s$dispersion), 1e-10)
  # z for a fixed dispersion, t on df_residual for an estimated one.
  statistic <- s$coefficients[, 3]
  check_close(paste(case_name, "p-values"), s$coefficients[, 4],
              if (s$dispersion == 1 && !grepl("quasi", family(fit2)$family))
                2 * pnorm(-abs(statistic)) else
                2 * pt(-abs(statistic), fit2$df.residual), 1e-15)
  ll <- logLik(fit2)
  pred_link <- predict(fit2, newdata, type = "link", se.fit = TRUE)
  pred_resp <- predict(fit2, newdata, type = "response", se.fit = TRUE)
  fam <- family(fit2)
  fields <- list(
    call = call_text,
    refit_call = refit_text,
    data = unname(csv_files[data_name(call_text)]),
    formula = paste(deparse(formula(fit2), width.cutoff = 500L), collapse = ""),
    family = if (negbin) "negative.binomial" else fam$family,
    link = fam$link,
    response = if (is.null(response)) NA else response,
    weights = if (is.null(weights)) NA else weights,
    offset = if (is.null(offset)) NA else offset,
    names = json_array(names(coef(fit2))),
    estimates = json_array(unname(coef(fit2))),
    std_errors = json_array(unname(s$coefficients[, 2])),
    statistic = sub(" value", "", colnames(s$coefficients)[3]),
    statistics = json_array(unname(s$coefficients[, 3])),
    p_values = json_array(unname(s$coefficients[, 4])),
    deviance = deviance(fit2),
    null_deviance = fit2$null.deviance,
    df_residual = as.integer(fit2$df.residual),
    df_null = as.integer(fit2$df.null),
    rank = as.integer(fit2$rank),
    nobs = as.integer(attr(ll, "nobs")),
    loglik = if (is.na(ll)) NA else as.numeric(ll),
    loglik_df = as.integer(attr(ll, "df")),
    aic = AIC(fit2),
    bic = BIC(fit2),
    dispersion = s$dispersion,
    pearson_chi2 = sum(residuals(fit2, type = "pearson")^2),
    iterations = as.integer(fit$iter),
    refits = refits,
    newdata = newdata_json(newdata),
    predict_link = json_array(unname(pred_link$fit)),
    predict_link_se = json_array(unname(pred_link$se.fit)),
    predict_response = json_array(unname(pred_resp$fit)),
    predict_response_se = json_array(unname(pred_resp$se.fit)))
  if (!negbin) {
    # Heteroskedasticity-consistent standard errors, sandwich::vcovHC.
    for (type in c("HC0", "HC1", "HC2", "HC3")) {
      fields[[paste0("std_errors_", tolower(type))]] <-
        json_array(unname(sqrt(diag(vcovHC(fit2, type = type)))))
    }
  }
  if (!is.null(cluster)) {
    # Cluster-robust standard errors, sandwich::vcovCL with its default
    # small-sample factor G / (G - 1) (cadjust = TRUE).
    fields$cluster <- cluster
    for (type in c("HC0", "HC1")) {
      fields[[paste0("std_errors_cluster_", tolower(type))]] <- json_array(
        unname(sqrt(diag(vcovCL(fit2, cluster = data_env[[data_name(call_text)]][[cluster]],
                                type = type)))))
    }
  }
  if (negbin) {
    fields$theta <- fit2$theta
    fields$theta_se <- fit2$SE.theta
    fields$twologlik <- fit2$twologlik
  }
  if (!is.null(note)) fields$note <- note
  write_reference(case_name, fields)
  cat(sprintf("  iter %d, refits %d, std errors vs X'WX %.2g\n",
              fit$iter, refits, se_err))
  invisible(fit2)
}

wb_new <- data.frame(wool = c("A", "B", "A", "B"),
                     tension = c("H", "L", "M", "H"))
wb_formula <- "breaks ~ wool * tension"
wb_pois <- glm_case(
  "warpbreaks_poisson",
  "glm(breaks ~ wool * tension, family = poisson, data = warpbreaks)",
  wb_new)
glm_case(
  "warpbreaks_poisson_sqrt",
  "glm(breaks ~ wool * tension, family = poisson(link = \"sqrt\"), data = warpbreaks)",
  wb_new)
wb_quasi <- glm_case(
  "warpbreaks_quasipoisson",
  "glm(breaks ~ wool * tension, family = quasipoisson, data = warpbreaks)",
  wb_new,
  note = "dispersion: Pearson chi-squared / df_residual; loglik, aic, bic: NA in R")

infert_new <- data.frame(spontaneous = c(0, 1, 2), induced = c(1, 0, 2),
                         education = c("0-5yrs", "6-11yrs", "12+ yrs"))
for (link in c("logit", "probit", "cloglog")) {
  family_text <- if (link == "logit") "binomial" else
    sprintf("binomial(link = \"%s\")", link)
  glm_case(paste0("infert_", link),
           sprintf("glm(case ~ spontaneous + induced + education, family = %s, data = infert)",
                   family_text),
           infert_new, cluster = if (link == "logit") "stratum" else NULL)
}

glm_case(
  "insurance_poisson_offset",
  "glm(Claims ~ District + Group + Age + offset(log(Holders)), family = poisson, data = Insurance)",
  data.frame(District = c("1", "4", "2"), Group = c("<1l", ">2l", "1.5-2l"),
             Age = c(">35", "<25", "25-29"), Holders = c(100, 37, 1000)),
  offset = "log(Holders)",
  note = "newdata predictions include the offset log(Holders)")

glm_case(
  "esoph_binomial",
  "glm(cbind(ncases, ncontrols) ~ agegp + tobgp * alcgp, family = binomial, data = esoph)",
  data.frame(agegp = c("25-34", "55-64", "75+"),
             tobgp = c("0-9g/day", "30+", "10-19"),
             alcgp = c("120+", "0-39g/day", "40-79")),
  response = "cbind(ncases, ncontrols)",
  note = paste("response: proportion ncases / (ncases + ncontrols) with prior",
               "weights ncases + ncontrols; loglik includes log choose(n, y)"))

glm_case(
  "ucbadmissions_binomial",
  "glm(admitted ~ Gender + Dept, family = binomial, data = UCBAdmissions, weights = Freq)",
  data.frame(Gender = c("Female", "Male", "Male"), Dept = c("A", "C", "F")),
  weights = "Freq",
  note = paste("admitted = (Admit == \"Admitted\") as 0/1; nobs (for BIC) is",
               "the 24 rows with nonzero weight, not sum(Freq)"))

clot_new <- data.frame(u = c(5, 12.5, 100))
gamma_note <- paste("loglik and aic use R's Gamma()$aic: shape 1/(deviance/n)",
                    "(not the Pearson dispersion, not the shape's MLE);",
                    "loglik_df = rank + 1")
glm_case("clotting_gamma_inverse",
         "glm(lot1 ~ log(u), family = Gamma, data = clotting)",
         clot_new, note = gamma_note)
glm_case("clotting_gamma_log",
         "glm(lot1 ~ log(u), family = Gamma(link = \"log\"), data = clotting)",
         clot_new, note = gamma_note)
glm_case("clotting_inverse_gaussian",
         "glm(lot1 ~ log(u), family = inverse.gaussian, data = clotting)",
         clot_new,
         note = paste("loglik and aic use R's inverse.gaussian()$aic:",
                      "dispersion deviance/n; loglik_df = rank + 1"))

# The ten "mean" features of the breast-cancer data: a logistic fit whose
# MLE exists although 25 fitted probabilities are within 1e-10 of 0 or 1
# (R warns "fitted probabilities numerically 0 or 1 occurred"). With all
# 30 features the data are completely separated: no MLE.
glm_case(
  "breast_cancer_mean",
  paste("glm(benign ~ mean_radius + mean_texture + mean_perimeter + mean_area +",
        "mean_smoothness + mean_compactness + mean_concavity +",
        "mean_concave_points + mean_symmetry + mean_fractal_dimension,",
        "family = binomial, data = breast_cancer)"),
  data.frame(mean_radius = c(12, 18), mean_texture = c(15, 22),
             mean_perimeter = c(78, 120), mean_area = c(450, 1000),
             mean_smoothness = c(0.09, 0.1), mean_compactness = c(0.08, 0.15),
             mean_concavity = c(0.05, 0.15), mean_concave_points = c(0.03, 0.08),
             mean_symmetry = c(0.18, 0.2), mean_fractal_dimension = c(0.06, 0.06)),
  settle = 1e-12,
  note = paste("data: scikit-learn's load_breast_cancer() written by",
               "make_breast_cancer.py; R warns that fitted probabilities",
               "numerically 0 or 1 occurred"))

nb <- glm_case(
  "quine_negbin",
  "glm.nb(Days ~ Eth + Sex + Age + Lrn, data = quine)",
  data.frame(Eth = c("A", "N", "N"), Sex = c("F", "M", "F"),
             Age = c("F0", "F2", "F3"), Lrn = c("AL", "SL", "AL")),
  negbin = TRUE,
  note = paste("std_errors at theta fixed (summary.negbin, dispersion 1);",
               "theta_se = 1/sqrt(observed information of theta at the fitted",
               "means) from theta.ml; loglik = twologlik / 2; aic =",
               "-twologlik + 2 rank + 2; iterations: the IRLS iterations of",
               "the last alternation of the plain glm.nb"))
# θ̂ and β̂ of glm.nb solve both score equations: θ's Newton step from the
# fitted means and the coefficients' IRLS at that θ move nothing.
local({
  y <- data_env$quine$Days
  theta <- theta.ml(y, fitted(nb), limit = 100, eps = 1e-14)
  check_close("quine_negbin theta against theta.ml", as.numeric(theta),
              nb$theta, 1e-9)
  env <- new.env(parent = data_env)
  env$nb <- nb
  fixed <- run(paste("glm(Days ~ Eth + Sex + Age + Lrn, family =",
                     "negative.binomial(nb$theta), data = quine,",
                     "start = coef(nb), control =", tight, ")"), env)
  check_close("quine_negbin estimates at fixed theta", coef(fixed), coef(nb),
              1e-9)
  check_close("quine_negbin std errors at fixed theta",
              summary(fixed, dispersion = 1)$coefficients[, 2],
              summary(nb)$coefficients[, 2], 1e-9)
  invisible(NULL)
})

# ---------------------------------------------------------------------------
# Analysis of deviance

anova_case <- function(case_name, small_text, big_text, test) {
  refit <- function(text) {
    refit_until_settled(case_name, add_arguments(
      text, paste("start = coef(fit), control =", tight)), run(text))$fit
  }
  small <- refit(small_text)
  big <- refit(big_text)
  a <- anova(small, big, test = test)
  fields <- list(
    call = sprintf("anova(m_small, m_big, test = \"%s\")", test),
    small_call = small_text,
    big_call = big_text,
    test = test,
    data = unname(csv_files[data_name(big_text)]),
    family = family(big)$family,
    formulas = json_array(c(deparse(formula(small)), deparse(formula(big)))),
    resid_df = json_array(as.integer(a[["Resid. Df"]])),
    resid_dev = json_array(a[["Resid. Dev"]]),
    df = as.integer(a[["Df"]][2]),
    deviance = a[["Deviance"]][2])
  if (test == "LRT") {
    fields$p_value <- a[["Pr(>Chi)"]][2]
    check_close(paste(case_name, "p-value"), fields$p_value,
                pchisq(fields$deviance, fields$df, lower.tail = FALSE), 1e-15)
  } else {
    dispersion <- summary(big)$dispersion
    fields$dispersion <- dispersion
    fields$dispersion_df <- as.integer(big$df.residual)
    fields$f_statistic <- a[["F"]][2]
    fields$p_value <- a[["Pr(>F)"]][2]
    check_close(paste(case_name, "F"), fields$f_statistic,
                fields$deviance / fields$df / dispersion, 1e-14)
    fields$note <- paste("F = (deviance / df) / dispersion of the bigger",
                         "model (Pearson chi-squared / its df_residual);",
                         "p-value on (df, dispersion_df) degrees of freedom")
  }
  write_reference(case_name, fields)
}

anova_case("warpbreaks_anova_lrt",
           "glm(breaks ~ wool + tension, family = poisson, data = warpbreaks)",
           "glm(breaks ~ wool * tension, family = poisson, data = warpbreaks)",
           "LRT")
anova_case("warpbreaks_anova_f",
           "glm(breaks ~ wool + tension, family = quasipoisson, data = warpbreaks)",
           "glm(breaks ~ wool * tension, family = quasipoisson, data = warpbreaks)",
           "F")

# ---------------------------------------------------------------------------
# Multinomial logit (nnet::multinom, baseline category: the first level)

# The MLE by Newton's method from `start` (rows: classes but the first;
# columns: the design's), as a check on multinom's quasi-Newton optimum.
multinom_newton <- function(x, y, w, start) {
  k <- nlevels(y) - 1
  p <- ncol(x)
  yk <- sapply(levels(y)[-1], function(l) as.numeric(y == l))
  beta <- as.vector(t(start))  # class-major: class 2's coefficients first
  for (iter in 1:100) {
    b <- matrix(beta, p, k)
    e <- exp(x %*% b)
    prob <- e / (1 + rowSums(e))
    grad <- as.vector(crossprod(x, w * (yk - prob)))
    info <- matrix(0, k * p, k * p)
    for (a in 1:k) for (c in 1:k) {
      v <- w * prob[, a] * ((a == c) - prob[, c])
      info[(a - 1) * p + 1:p, (c - 1) * p + 1:p] <- crossprod(x, v * x)
    }
    step <- solve(info, grad)
    beta <- beta + step
    if (max(abs(step)) < 1e-15 * max(1, max(abs(beta)))) break
  }
  list(coef = t(matrix(beta, p, k)), cov = solve(info))
}

# nnet's weight vector for a coefficient matrix (rows: classes but the
# first): per class, a bias nnet adds (masked to 0) and then the design's
# columns; the first class's weights are all 0.
multinom_wts <- function(coef_matrix) {
  p <- ncol(coef_matrix)
  c(rep(0, p + 1), as.vector(rbind(0, t(coef_matrix))))
}

# `multinom`'s quasi-Newton optimizer stops on a relative change of the
# deviance (reltol), which leaves the estimates good to about six digits.
# The stored estimates are the MLE by Newton's method from the reltol
# optimum; nnet then evaluates everything at that point (Wts = the MLE,
# maxit = 0): deviance, Hessian, standard errors, predictions.
multinom_case <- function(case_name, call_text, newdata, weights = NULL,
                          note = NULL) {
  fit <- run(call_text)
  refit_text <- add_arguments(call_text,
                              "reltol = 1e-14, maxit = 1000, Hess = TRUE")
  fit2 <- run(refit_text)
  stopifnot(fit2$convergence == 0)
  d <- data_env[[data_name(call_text)]]
  x <- model.matrix(delete.response(terms(fit2)), d)
  y <- d[[as.character(formula(fit2)[[2]])]]
  w <- if (is.null(weights)) rep(1, nrow(d)) else d[[weights]]
  newton <- multinom_newton(x, y, w, coef(fit2))
  env <- new.env(parent = data_env)
  env$mle_wts <- multinom_wts(newton$coef)
  mle_text <- add_arguments(call_text, "Wts = mle_wts, maxit = 0, Hess = TRUE")
  fit3 <- run(mle_text, env)
  stopifnot(identical(fit3$wts, env$mle_wts),
            fit3$deviance <= fit2$deviance)
  check_close(paste(case_name, "coef at Wts"), coef(fit3), newton$coef, 0)
  s2 <- summary(fit2)
  s3 <- summary(fit3)
  est_err <- check_close(paste(case_name, "reltol optimum against the MLE"),
                         coef(fit2), coef(fit3), 1e-4)
  se_newton <- t(matrix(sqrt(diag(newton$cov)), ncol(x), nlevels(y) - 1))
  se_err <- check_close(paste(case_name, "nnet's std errors against Newton's"),
                        s3$standard.errors, se_newton, 1e-10)
  ll <- logLik(fit3)
  probs <- predict(fit3, newdata, type = "probs")
  if (is.null(dim(probs))) probs <- matrix(probs, nrow = 1)
  est <- coef(fit3)
  flat <- function(m) json_array(as.vector(t(m)))
  fields <- list(
    call = call_text,
    refit_call = refit_text,
    mle_call = mle_text,
    data = unname(csv_files[data_name(call_text)]),
    formula = paste(deparse(formula(fit3), width.cutoff = 500L), collapse = ""),
    family = "multinomial",
    link = "logit",
    weights = if (is.null(weights)) NA else weights,
    classes = json_array(levels(y)),
    coefficient_rows = json_array(rownames(est)),
    coefficient_cols = json_array(colnames(est)),
    names = json_array(as.vector(t(outer(rownames(est), colnames(est), paste,
                                         sep = ":")))),
    estimates = flat(est),
    std_errors = flat(s3$standard.errors),
    deviance = fit3$deviance,
    edf = as.integer(fit3$edf),
    nobs = as.integer(attr(ll, "nobs")),
    loglik = as.numeric(ll),
    loglik_df = as.integer(attr(ll, "df")),
    aic = AIC(fit3),
    bic = BIC(fit3),
    reltol_estimates = flat(coef(fit2)),
    reltol_std_errors = flat(s2$standard.errors),
    reltol_deviance = fit2$deviance,
    newdata = newdata_json(newdata),
    predict_probs = lapply(setNames(seq_len(ncol(probs)), levels(y)),
                           function(j) json_array(unname(probs[, j]))))
  if (!is.null(note)) fields$note <- note
  stopifnot(identical(colnames(vcov(fit3)), fields$names[[1]]))
  write_reference(case_name, fields)
  cat(sprintf(paste("  reltol optimum vs MLE: estimates %.2g; nnet vs Newton",
                    "std errors at the MLE %.2g\n"), est_err, se_err))
}

multinom_note <- paste(
  "estimates, std_errors, deviance, loglik, aic, bic, predict_probs: nnet at",
  "the MLE (mle_call, mle_wts = Newton's method from the refit_call's",
  "optimum); reltol_*: the refit_call's own optimum and summary, good to",
  "about six digits; names and the flat arrays are class-major, as vcov(fit)",
  "names them; nobs (for BIC) is sum(weights)")
multinom_case(
  "iris_multinom",
  "multinom(Species ~ Sepal.Length, data = iris, trace = FALSE)",
  data.frame(Sepal.Length = c(4.5, 5.8, 7.2)),
  note = paste0(multinom_note, "; Sepal.Length alone: with Sepal.Width too, ",
               "setosa is linearly separable and no MLE exists"))
multinom_case(
  "housing_multinom",
  "multinom(Sat ~ Infl + Type + Cont, data = housing, weights = Freq, trace = FALSE)",
  data.frame(Infl = c("High", "Low", "Medium"),
             Type = c("Apartment", "Tower", "Terrace"),
             Cont = c("Low", "High", "High")),
  weights = "Freq",
  note = multinom_note)

# The separation stated in the iris note: a logistic fit of setosa against
# the others on both sepal measurements drives its deviance to zero.
local({
  d <- data_env$iris
  d$setosa <- as.numeric(d$Species == "setosa")
  g <- suppressWarnings(glm(setosa ~ Sepal.Length + Sepal.Width,
                            family = binomial, data = d,
                            control = glm.control(maxit = 200)))
  stopifnot(deviance(g) < 1e-6)
})
