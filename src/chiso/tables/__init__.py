"""Users' files in and results out: CSV and XLSX reading with full problem reports, and
atomic writing of CSV, XLSX and JSON results."""
