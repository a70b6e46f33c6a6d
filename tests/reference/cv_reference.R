# Coefficients of variation from R's survey package (cv()) for chiso survey estimate's
# thin-estimate flag: the stratified cluster design of tests/golden/surveys/stratclus.csv,
# overall (svymean) and per region (svyby), items q1 and score.
#   Rscript tests/reference/cv_reference.R OUT.csv
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
d <- read.csv(file.path(here, "..", "golden", "surveys", "stratclus.csv"), encoding = "UTF-8")
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, nest = TRUE, data = d)
rows <- list()
for (item in c("q1", "score")) {
  f <- as.formula(paste0("~", item))
  rows[[length(rows) + 1]] <- data.frame(domain = "all", item = item,
                                         cv = cv(svymean(f, des, na.rm = TRUE))[[1]])
  b <- svyby(f, ~region, des, svymean, na.rm = TRUE)
  rows[[length(rows) + 1]] <- data.frame(domain = as.character(b$region), item = item,
                                         cv = as.numeric(cv(b)))
}
out <- do.call(rbind, rows)
out$cv <- sprintf("%.17g", out$cv)
write.csv(out, args[1], row.names = FALSE, fileEncoding = "UTF-8")
