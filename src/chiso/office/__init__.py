"""Word and Excel files, opened in one place and within bounds.

An Office file is a zip of XML parts, and what it costs to open is set by what those parts
unzip to, not by the file's size: 56 KB of shared strings can unzip to 20 MB and hold a
server for twenty seconds. Every reader of ``.xlsx`` and ``.docx`` in chiso goes through
this package, which checks the archive first (:func:`check_archive`: parts, sizes claimed and
actually inflated, compression ratio, XML elements), then opens it bounded:

- :func:`open_workbook`: an Excel workbook read-only through openpyxl, rows streamed with
  their number, a cap on the rows and cells read, merged ranges read from the XML and summed
  before any is expanded;
- :func:`read_word_tables`: the tables of a Word document as rows of text with their merges,
  read from the XML without recursion, with a cap on rows and cells.

Problems are reported through :mod:`chiso.problems` (file, rule, limit); a file that is not
what it claims (a damaged zip, invalid XML) is ``file.unreadable`` with the reason, while a
fault in chiso's own code is raised as itself. openpyxl and lxml are imported only when a
file is opened.
"""

from chiso.office.archive import check_archive, unreadable
from chiso.office.limits import LOCAL, UPLOAD, Limits
from chiso.office.word import WordTable, read_word_tables
from chiso.office.workbook import Sheet, Workbook, open_workbook

__all__ = [
    "LOCAL",
    "UPLOAD",
    "Limits",
    "Sheet",
    "WordTable",
    "Workbook",
    "check_archive",
    "open_workbook",
    "read_word_tables",
    "unreadable",
]
