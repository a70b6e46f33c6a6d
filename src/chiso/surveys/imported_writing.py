"""Write an import's normalised responses: the main table and one table per repeat group,
moved into place together, so that a failed write leaves none of them behind. Reading and
checking the export is :mod:`chiso.surveys.export_reading`'s job."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

from chiso.surveys.export_reading import Imported
from chiso.tables.atomic import atomic_target
from chiso.tables.records import write_records_to


def repeat_path(path: str | Path, group: str) -> Path:
    """Where a repeat group's rows go: beside the main table, named after the group."""
    p = Path(path)
    return p.with_name(f"{p.stem}-{group}{p.suffix}")


def write_imported(imported: Imported, path: str | Path) -> None:
    """The main table and one table per repeat group, moved into place together."""
    meta = {"instrument": imported.instrument.code, "version": imported.instrument.version}
    suffix = Path(path).suffix.lower()
    tables = [(Path(path), imported.columns, imported.rows)] + [
        (repeat_path(path, group), columns, rows)
        for group, (columns, rows) in imported.repeats.items()
    ]
    with ExitStack() as stack:
        for target, columns, rows in tables:
            tmp = stack.enter_context(atomic_target(target))
            write_records_to(tmp, suffix, columns, rows, "en", 6, extra=meta)
