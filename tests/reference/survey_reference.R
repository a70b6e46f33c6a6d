# Reference outputs of R's survey package for the designs in tests/golden/surveys/.
#   Rscript tests/reference/survey_reference.R [OUTDIR]
# Writes OUTDIR/<design>__<policy>.csv with, per domain ("all" = whole sample) and item:
# estimate, se, deff (svyby + svymean, na.rm=TRUE, deff=TRUE) and the svyciprop logit interval;
# and OUTDIR/<design>__<policy>__contrasts.csv with, per domain and combination of
# contrasts.csv (Σ c_k × mean of item k, each mean over the rows that answered the item):
# estimate, se, df and the Wald interval, by svycontrast over the domain's svytotal of y_k·r_k
# and r_k (r_k = 1 where item k was answered): the delta method on ratios of totals, which is
# the linearisation of the combined means. Per domain rather than svyby(..., covmat=TRUE): in
# survey 4.1 the latter runs the variance over the whole design (so the "average" lonely-PSU
# policy counts strata without rows in the domain, unlike svyby's own SE column) and stops on
# calibrated designs.
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

read <- function(name) {
  d <- read.csv(file.path(indir, paste0(name, ".csv")), fileEncoding = "UTF-8")
  for (item in items) {  # the answered indicator r and y·r (0 where not answered)
    d[[paste0(item, "_r")]] <- as.numeric(!is.na(d[[item]]))
    d[[paste0(item, "_y")]] <- ifelse(is.na(d[[item]]), 0, d[[item]])
  }
  d
}

contrasts <- read.csv(file.path(indir, "contrasts.csv"))

run_contrasts <- function(name, des, by, policy) {
  options(survey.lonely.psu = policy)
  rows <- list()
  for (i in seq_len(nrow(contrasts))) {
    cf <- unlist(contrasts[i, items])
    s <- items[cf != 0]
    # the rows a combination uses: those that answered at least one of its items
    answered <- rowSums(!is.na(des$variables[, s, drop = FALSE])) > 0
    sub <- des[answered, ]
    f <- as.formula(paste("~", paste(c(paste0(s, "_y"), paste0(s, "_r")), collapse = "+")))
    ratios <- parse(text = paste(sprintf("%.17g * %s_y / %s_r", cf[s], s, s), collapse = " + "))
    one <- function(domain, part) {
      con <- svycontrast(svytotal(f, part), list(x = ratios[[1]]))
      ci <- confint(con)
      data.frame(contrast = contrasts$contrast[i], domain = domain, estimate = coef(con)[[1]],
                 se = SE(con)[[1]], df = degf(part), ci_low = ci[1, 1], ci_high = ci[1, 2])
    }
    rows[[length(rows) + 1]] <- one("all", sub)
    used <- weights(sub, "sampling") > 0
    for (d in sort(unique(as.character(sub$variables[[by]][used])))) {
      rows[[length(rows) + 1]] <- one(d, sub[sub$variables[[by]] == d, ])
    }
  }
  write.csv(do.call(rbind, rows), file.path(outdir, paste0(name, "__", policy, "__contrasts.csv")),
            row.names = FALSE)
}

d <- read("stratclus")
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, nest = TRUE, data = d)
run("stratclus", des, "region", "fail")
run_contrasts("stratclus", des, "region", "fail")

d <- read("lonely")
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, nest = TRUE, data = d)
for (policy in c("certainty", "adjust", "average", "remove")) {
  run("lonely", des, "region", policy)
  run_contrasts("lonely", des, "region", policy)
}

d <- read("fpc")
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, nest = TRUE, fpc = ~fpc, data = d)
run("fpc", des, "region", "fail")
run_contrasts("fpc", des, "region", "fail")

d <- read("papi")
des <- svydesign(ids = ~district + commune + village, strata = ~province, weights = ~w,
                 nest = TRUE, data = d)
run("papi", des, "province", "fail")
run_contrasts("papi", des, "province", "fail")
run("papi-sex", des, "sex", "fail")
run_contrasts("papi-sex", des, "sex", "fail")

# Post-stratification to population counts by sex (as to census margins)
d <- read("papi")
des <- svydesign(ids = ~district + commune + village, strata = ~province, weights = ~w,
                 nest = TRUE, data = d)
pop <- data.frame(sex = c("nam", "nữ"), Freq = c(1800000, 1950000))
ps <- postStratify(des, ~sex, pop)
run("papi-poststrat", ps, "province", "fail")
run_contrasts("papi-poststrat", ps, "province", "fail")

# Raking to two census margins (sex, age group)
d <- read("papi")
d$age <- ifelse(d$village %in% unique(d$village)[c(TRUE, FALSE)], "trẻ", "già")
des <- svydesign(ids = ~district + commune + village, strata = ~province, weights = ~w,
                 nest = TRUE, data = d)
rk <- rake(des, list(~sex, ~age),
           list(data.frame(sex = c("nam", "nữ"), Freq = c(1800000, 1950000)),
                data.frame(age = c("trẻ", "già"), Freq = c(2100000, 1650000))))
run("papi-rake", rk, "province", "fail")
run_contrasts("papi-rake", rk, "province", "fail")
