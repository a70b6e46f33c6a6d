"""The bounds within which a Word or Excel file is opened, and the two sets in use.

``UPLOAD`` is for every file that comes over the network (and the default everywhere): the
budget of issue #19 is that a file under 2 MB is read in under 2 s and 200 MB, or refused.
openpyxl spends about 4.5 µs of processor time on each XML element of a sheet or of its
shared strings, and up to 8 µs on a number format of its styles (measured on the files of
tests/office_bombs.py), so the elements of a workbook are what bound its reading time:
250,000 are about 1.1 s. Word is parsed by libxml2 at about ten times that speed. The
largest real files are inside these bounds: a filled score sheet is a few thousand
elements, the points of the 63 provinces for every criterion with their standard errors
some 75,000, a central points file for a province's 150 units × 100 criteria some 135,000
(so the cap is 250,000: about 1.1 s), a province's criteria table as Word some 100,000.

``LOCAL`` is for the files a person opens on their own computer with the command line (a
survey export of tens of thousands of interviews is tens of millions of elements): bounded
still, against a damaged file or a bomb received by mail, but sized for the largest
legitimate exports.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 2**20


@dataclass(frozen=True)
class Limits:
    parts: int = 1_000
    """Parts (zip members) of the file: a workbook has about ten, a Word file a few dozen."""
    part_bytes: int = 32 * MB
    """What one part may unzip to, as the zip's directory claims it and as it inflates."""
    total_bytes: int = 64 * MB
    """What all parts together may unzip to."""
    ratio: int = 100
    """How many times a part may be compressed: the XML of Office files compresses 5 to 20
    times, a zip bomb several hundred (deflate's ceiling is about 1,030)."""
    ratio_from: int = 1 * MB
    """Parts smaller than this unzipped may be compressed any amount (a small part of
    repeated markup is harmless)."""
    workbook_elements: int = 250_000
    """XML elements in all parts of an Excel workbook (the measure of openpyxl's time)."""
    document_elements: int = 500_000
    """XML elements in all parts of a Word document."""
    rows: int = 100_000
    """Rows read from one sheet (the empty rows between included), or from the tables of a
    Word document."""
    cells: int = 500_000
    """Cells read from one sheet (the empty cells a row is padded with included), or the
    cells of a Word document's tables on their grid."""
    merged_cells: int = 20_000
    """Cells all the merged ranges of a sheet cover, summed, when its merges are read (a
    criteria table's few merged headings and guidance cells cover hundreds)."""

    def elements(self, kind: str) -> int:
        """The element bound for a ``workbook`` or a ``document``."""
        return self.workbook_elements if kind == "workbook" else self.document_elements


UPLOAD = Limits()
LOCAL = Limits(
    parts=10_000,
    part_bytes=1024 * MB,
    total_bytes=4096 * MB,
    workbook_elements=100_000_000,
    document_elements=20_000_000,
    rows=1_048_576,
    cells=100_000_000,
)
