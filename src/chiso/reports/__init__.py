"""Outputs people publish: the ranking annex, open data tables, maps. They render results the
library computed (a results document from ``chiso score`` or a published snapshot)."""
