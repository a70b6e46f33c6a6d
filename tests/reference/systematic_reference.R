# Reference systematic draws of R's sampling package for chiso's systematic PPS.
#   Rscript tests/reference/systematic_reference.R SIZES.csv N DRAWS OUT.csv
# SIZES has one column, size. For draw k = 1..DRAWS: the uniform start UPsystematic takes
# (set.seed(k); runif(1)) and, with the same seed, the units UPsystematic selects
# (inclusionprobabilities(size, N)), as a space-separated list of positions from 1.
suppressMessages(library(sampling))
args <- commandArgs(trailingOnly = TRUE)
size <- read.csv(args[1])$size
pik <- inclusionprobabilities(size, as.integer(args[2]))
rows <- lapply(seq_len(as.integer(args[3])), function(k) {
  set.seed(k)
  u <- runif(1)
  set.seed(k)
  s <- UPsystematic(pik)
  data.frame(start = sprintf("%.17g", u), selected = paste(which(s == 1), collapse = " "))
})
write.csv(do.call(rbind, rows), args[4], row.names = FALSE, quote = FALSE)
