"""From results to action: gaps, targets and the least-effort plan, how sure a rank is.

Pure computation over the results ``chiso score --out x.json`` writes, re-scored through
:mod:`chiso.scoring` (never a second copy of a formula); no Django, no I/O beyond the files
handed to it.
"""
