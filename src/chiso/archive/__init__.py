"""The archive of published results: PAR INDEX, SIPAS and PAPI as their publishers printed
them, each figure with its source, beside the simulated cycles of the workflow demo.

Pure library: the data files (``data/*.csv`` in long form, ``data/sources.yaml``), their
loader and checks (:mod:`.loading`), the long-run facts of a province (:mod:`.facts`), a
province's series across the indices and across 1 July 2025 (:mod:`.province`) and the open
data (:mod:`.open_data`). The web app and the command line call these; nothing here imports
Django.
"""

from chiso.archive.loading import load_archive
from chiso.archive.model import Archive, Figure, Source, TableNote

__all__ = ["Archive", "Figure", "Source", "TableNote", "load_archive"]
