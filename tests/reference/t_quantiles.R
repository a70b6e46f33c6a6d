# Reference quantiles of Student's t (R's qt) for chiso.surveys.student_t, which the logit
# interval of a proportion uses instead of SciPy.
#   Rscript tests/reference/t_quantiles.R tests/golden/surveys/t_quantiles.csv
levels <- c(0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.999, 0.9999)
df <- c(0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 19, 20, 25, 30, 40, 50, 60, 80,
        100, 120, 200, 300, 500, 1000, 1197, 2000, 5000, 1e4, 1e5, 1e6, 1e7)
g <- expand.grid(df = df, level = levels)
g$quantile <- sprintf("%.17g", qt(0.5 + g$level / 2, g$df))
write.csv(g[, c("level", "df", "quantile")], commandArgs(TRUE)[1], row.names = FALSE,
          quote = FALSE)
