# Reference outputs of R's survey package for the designs in tests/golden/surveys/.
#   Rscript tests/reference/survey_reference.R [OUTDIR]
# Writes OUTDIR/<design>__<policy>.csv with, per domain ("all" = whole sample) and item:
# estimate, se, deff (svyby + svymean, na.rm=TRUE, deff=TRUE) and the svyciprop logit interval.
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
indir <- file.path(here, "..", "golden", "surveys")
outdir <- if (length(args)) args[1] else indir
items <- c("q1", "q2", "q3", "q4", "score")
binary <- c("q1", "q2", "q3", "q4")

run <- function(name, des, by, policy) {
  options(survey.lonely.psu = policy)
  rows <- list()
  for (item in items) {
    f <- as.formula(paste0("~", item))
    nat <- svymean(f, des, na.rm = TRUE, deff = TRUE)
    est <- list(data.frame(domain = "all", item = item, estimate = coef(nat)[[1]],
                           se = SE(nat)[[1]], deff = deff(nat)[[1]]))
    if (!is.null(by)) {
      b <- svyby(f, as.formula(paste0("~", by)), des, svymean, na.rm = TRUE, deff = TRUE)
      est[[2]] <- data.frame(domain = as.character(b[[by]]), item = item,
                             estimate = b[[item]], se = SE(b), deff = deff(b))
    }
    e <- do.call(rbind, est)
    e$logit_low <- NA; e$logit_high <- NA
    if (item %in% binary) {
      sub <- subset(des, !is.na(des$variables[[item]]))
      ci <- attr(svyciprop(f, sub, method = "logit"), "ci")
      e$logit_low[e$domain == "all"] <- ci[[1]]; e$logit_high[e$domain == "all"] <- ci[[2]]
      if (!is.null(by)) {
        cb <- svyby(f, as.formula(paste0("~", by)), sub, svyciprop, method = "logit",
                    vartype = "ci")
        for (i in seq_len(nrow(cb))) {
          d <- as.character(cb[[by]][i])
          e$logit_low[e$domain == d] <- cb$ci_l[i]; e$logit_high[e$domain == d] <- cb$ci_u[i]
        }
      }
    }
    rows[[item]] <- e
  }
  out <- do.call(rbind, rows)
  write.csv(out, file.path(outdir, paste0(name, "__", policy, ".csv")), row.names = FALSE)
}

read <- function(name) read.csv(file.path(indir, paste0(name, ".csv")), fileEncoding = "UTF-8")

d <- read("stratclus")
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, nest = TRUE, data = d)
run("stratclus", des, "region", "fail")

d <- read("lonely")
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, nest = TRUE, data = d)
for (policy in c("certainty", "adjust", "average", "remove")) run("lonely", des, "region", policy)

d <- read("fpc")
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, nest = TRUE, fpc = ~fpc, data = d)
run("fpc", des, "region", "fail")

d <- read("papi")
des <- svydesign(ids = ~district + commune + village, strata = ~province, weights = ~w,
                 nest = TRUE, data = d)
run("papi", des, "province", "fail")
run("papi-sex", des, "sex", "fail")

# Post-stratification to population counts by sex (as to census margins)
d <- read("papi")
des <- svydesign(ids = ~district + commune + village, strata = ~province, weights = ~w,
                 nest = TRUE, data = d)
pop <- data.frame(sex = c("nam", "nữ"), Freq = c(1800000, 1950000))
ps <- postStratify(des, ~sex, pop)
run("papi-poststrat", ps, "province", "fail")

# Raking to two census margins (sex, age group)
d <- read("papi")
d$age <- ifelse(d$village %in% unique(d$village)[c(TRUE, FALSE)], "trẻ", "già")
des <- svydesign(ids = ~district + commune + village, strata = ~province, weights = ~w,
                 nest = TRUE, data = d)
rk <- rake(des, list(~sex, ~age),
           list(data.frame(sex = c("nam", "nữ"), Freq = c(1800000, 1950000)),
                data.frame(age = c("trẻ", "già"), Freq = c(2100000, 1650000))))
run("papi-rake", rk, "province", "fail")
