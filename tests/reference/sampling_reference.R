# Reference inclusion probabilities of R's sampling package for chiso survey sample.
#   Rscript tests/reference/sampling_reference.R FRAME.csv SIZES.csv OUT.csv
# FRAME has columns id, stratum, size; SIZES has stratum, n (the sample size of each stratum).
# OUT gets id, pik: sampling::inclusionprobabilities(size, n) within each stratum.
suppressMessages(library(sampling))
args <- commandArgs(trailingOnly = TRUE)
frame <- read.csv(args[1], stringsAsFactors = FALSE, encoding = "UTF-8")
sizes <- read.csv(args[2], stringsAsFactors = FALSE, encoding = "UTF-8")
frame$pik <- NA_real_
for (i in seq_len(nrow(sizes))) {
  rows <- frame$stratum == sizes$stratum[i]
  frame$pik[rows] <- inclusionprobabilities(frame$size[rows], sizes$n[i])
}
# %.17g: every digit of the double, so the comparison is to 1e-12 and not to print rounding
out <- data.frame(id = frame$id, pik = sprintf("%.17g", frame$pik))
write.csv(out, args[3], row.names = FALSE, quote = FALSE)
