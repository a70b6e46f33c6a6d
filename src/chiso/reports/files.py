"""The file factory: every file made from a results document, in one place.

The command line (``chiso report``) and the portal's downloads offer the same files (the
annex as Excel or Word, open data as CSV, XLSX or JSON with its data dictionary, the cycle's
report and a unit's report as PDF); making them here keeps the two from drifting apart. The
writers of heavy formats are imported when a file is made, so importing this module (and the
command line) stays quick."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chiso.frameworks.model import Framework
from chiso.reports.charts import HistoryPoint
from chiso.scoring.document import ResultsDocument

KINDS: tuple[str, ...] = ("csv", "xlsx", "json", "dictionary", "annex", "annex_docx", "pdf")
"""What the portal offers per publication: data.csv, data.xlsx, data.json, dictionary.json,
annex.xlsx, annex.docx and report.pdf."""

EXTENSIONS = {"dictionary": "json", "annex": "xlsx", "annex_docx": "docx"}
STEMS = {"dictionary": "dictionary", "annex": "annex", "annex_docx": "annex", "pdf": "report"}


@dataclass(frozen=True)
class Source:
    """A results document with what a file says about where it comes from."""

    doc: ResultsDocument
    framework: Framework
    title: str
    lang: str = "vi"
    snapshot: str = ""  # the snapshot as a report prints it ("" outside the portal)
    simulated: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)  # beside the open-data rows


def extension_of(kind: str) -> str:
    return EXTENSIONS.get(kind, kind)


def file_name(kind: str) -> str:
    """The name of a kind of file (``data.csv``, ``annex.docx``, ``report.pdf``…)."""
    return f"{STEMS.get(kind, 'data')}.{extension_of(kind)}"


def write_annex(source: Source, path: str | Path, template: str | Path | None = None) -> None:
    """The ranking annex, as Word for a ``.docx`` path (from ``template`` if given), else
    as Excel."""
    from chiso.reports.annex import write_annex_docx, write_annex_xlsx

    if Path(path).suffix.lower() == ".docx":
        write_annex_docx(source.doc, source.framework, path, source.title, source.lang, template)
    else:
        write_annex_xlsx(source.doc, source.framework, path, source.title, source.lang)


def write_data(source: Source, path: str | Path) -> list[dict[str, str]]:
    """Open data in the format of the path's suffix; returns the data dictionary."""
    from chiso.reports import open_data

    return open_data.write_table(source.doc, source.framework, path, extra=dict(source.extra))


def write_dictionary_json(source: Source, path: str | Path) -> None:
    from chiso.reports import open_data

    columns = open_data.columns(source.framework, source.doc)
    Path(path).write_text(
        json.dumps({"columns": columns}, ensure_ascii=False, indent=2), encoding="utf-8"
    )


def write_dictionary_csv(columns: Sequence[Mapping[str, str]], path: str | Path) -> None:
    """The data dictionary beside a data file, for readers without JSON."""
    from chiso.tables.records import write_records

    write_records(
        ["name", "type", "vi", "en"],
        [[c["name"], c["type"], c["vi"], c["en"]] for c in columns],
        path,
        "en",
    )


def write_report(source: Source, path: str | Path) -> None:
    """The cycle's report as PDF."""
    from chiso.reports.pdf import write_pdf

    write_pdf(
        source.doc,
        source.framework,
        path,
        source.title,
        source.lang,
        source.snapshot,
        source.simulated,
    )


def write_unit_report(
    source: Source,
    unit: str,
    path: str | Path,
    history: Sequence[HistoryPoint] | None = None,
    label: str = "",
    history_note: str = "",
) -> None:
    """One unit's report as PDF, with its history across earlier cycles."""
    from chiso.reports.unit_pdf import write_unit_pdf

    write_unit_pdf(
        source.doc,
        source.framework,
        unit,
        path,
        source.title,
        source.lang,
        source.snapshot,
        source.simulated,
        history=history,
        label=label,
        history_note=history_note,
    )


def write_kind(source: Source, kind: str, path: str | Path) -> None:
    """Write the file of one of :data:`KINDS` to ``path``."""
    if kind in ("annex", "annex_docx"):
        write_annex(source, path)
    elif kind == "pdf":
        write_report(source, path)
    elif kind == "dictionary":
        write_dictionary_json(source, path)
    elif kind in ("csv", "xlsx", "json"):
        write_data(source, path)
    else:
        raise ValueError(f"unknown kind of file: {kind}")


def _read_back(write: Any, name: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        write(path)
        return path.read_bytes()


def make(source: Source, kind: str) -> bytes:
    """The bytes of the file of one of :data:`KINDS` (for serving rather than saving)."""
    return _read_back(lambda path: write_kind(source, kind, path), file_name(kind))


def make_unit_report(
    source: Source,
    unit: str,
    history: Sequence[HistoryPoint] | None = None,
    label: str = "",
    history_note: str = "",
) -> bytes:
    """The bytes of one unit's report."""
    return _read_back(
        lambda path: write_unit_report(source, unit, path, history, label, history_note),
        "unit.pdf",
    )
