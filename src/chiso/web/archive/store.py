"""Load the library's archive into the database, and read it back.

The pages read one :class:`chiso.archive.Archive` per process, rebuilt from the database when
the loaded digest changes (a load by ``chiso archive load`` in another process is seen at the
next request); what is rendered from it is cached under that digest.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import threading
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from chiso.archive import Archive
from chiso.archive import model as lib
from chiso.archive.open_data import FORMATS, STEM, write
from chiso.web.archive import models

_lock = threading.Lock()
_current: tuple[str, Archive] | None = None


def digest(archive: Archive) -> str:
    """SHA-256 of everything loaded: the same archive gives the same digest."""
    h = hashlib.sha256()
    for s in archive.sources.values():
        h.update(repr((s.id, s.address, s.title, s.publisher, s.date, s.licence)).encode())
    for t in archive.tables:
        h.update(repr(t).encode())
    for f in archive.figures:
        h.update(repr((*f.key, f.text, f.rank, f.group, f.basis, f.rank_basis, f.source)).encode())
    return h.hexdigest()


@transaction.atomic
def load(archive: Archive) -> models.Loaded:
    """Replace the archive in the database with ``archive``; a second load of the same archive
    changes nothing."""
    sha = digest(archive)
    last = models.Loaded.objects.first()
    if last is not None and last.sha256 == sha:
        return last
    models.Figure.objects.all().delete()
    models.Source.objects.all().delete()
    models.TableNote.objects.all().delete()
    models.Source.objects.bulk_create(
        models.Source(
            code=s.id,
            address=s.address,
            title=s.title,
            publisher=s.publisher,
            date=s.date,
            licence=s.licence,
        )
        for s in archive.sources.values()
    )
    models.TableNote.objects.bulk_create(
        models.TableNote(
            index=t.index,
            years=t.years,
            unit_kind=t.unit_kind,
            coverage=t.coverage,
            sources="\n".join(t.sources),
            note_vi=t.note_in("vi"),
            note_en=t.note_in("en"),
        )
        for t in archive.tables
    )
    models.Figure.objects.bulk_create(
        (
            models.Figure(
                index=f.index,
                year=f.year,
                unit_kind=f.unit_kind,
                unit=f.unit,
                node=f.node,
                value=f.value,
                text=f.text,
                rank=f.rank,
                group=f.group,
                basis=f.basis,
                rank_basis=f.rank_basis,
                source=f.source,
            )
            for f in archive.figures
        ),
        batch_size=2000,
    )
    return models.Loaded.objects.create(sha256=sha, figures=len(archive.figures))


def loaded() -> models.Loaded | None:
    return models.Loaded.objects.first()


def loaded_sha() -> str | None:
    """The digest of the loaded archive (of :func:`loaded`), None when none was loaded: what
    every page of the archive is keyed by, read on every request, so in one fixed statement
    rather than an ORM query built each time (most of a kept page's cost)."""
    with connection.cursor() as cursor:
        cursor.execute(_latest_sha())
        row = cursor.fetchone()
    return None if row is None else str(row[0])


@cache
def _latest_sha() -> str:
    table = connection.ops.quote_name(models.Loaded._meta.db_table)
    # the order of Loaded.Meta.ordering, as loaded() reads it
    return f"SELECT sha256 FROM {table} ORDER BY loaded_at DESC, id DESC LIMIT 1"


def current() -> tuple[str, Archive] | None:
    """The loaded archive and its digest; None when none was loaded."""
    global _current
    sha = loaded_sha()
    if sha is None:
        return None
    kept = _current
    if kept is not None and kept[0] == sha:
        return kept
    with _lock:
        if _current is None or _current[0] != sha:
            _current = (sha, _read())
        return _current


def _read() -> Archive:
    sources = {
        s.code: lib.Source(s.code, s.address, s.title, s.publisher, s.date, s.licence)
        for s in models.Source.objects.all()
    }
    tables = tuple(
        lib.TableNote(
            t.index,
            t.years,
            t.unit_kind,
            t.coverage,
            tuple(x for x in t.sources.split("\n") if x),
            (("vi", t.note_vi), ("en", t.note_en)),
        )
        for t in models.TableNote.objects.all()
    )
    # the model's columns carry the library's field names, in the same order
    columns = [f.name for f in dataclasses.fields(lib.Figure)]
    rows = models.Figure.objects.order_by("pk").values_list(*columns)
    figures = tuple(lib.Figure(*row) for row in rows)
    return Archive(figures, sources, tables)


def open_data_file(sha: str, archive: Archive, kind: str) -> Path:
    """The open-data file ``kind`` (csv, xlsx, parquet, dictionary, sources) of the loaded
    archive, made once under ``CHISO_DATA_DIR/archive/<digest>/`` (written atomically, so two
    processes making it at once leave one whole file)."""
    folder = Path(settings.DATA_DIR) / "archive" / sha
    names = {
        **{fmt: f"{STEM}.{fmt}" for fmt in FORMATS},
        "dictionary": f"{STEM}.dictionary.csv",
        "sources": f"{STEM}.sources.csv",
    }
    target = folder / names[kind]
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        fmt = kind if kind in FORMATS else "csv"
        write(archive, folder / f"{STEM}.{fmt}")
    return target


_files: dict[tuple[str, str, bool], bytes] = {}


def file_bytes(sha: str, archive: Archive, kind: str, gzipped: bool = False) -> bytes:
    """The bytes of an open-data file (compressed with gzip once, when asked), kept in this
    process: a few megabytes per loaded archive, served without copying them through the
    cache (the local-memory cache pickles every value it returns)."""
    key = (sha, kind, gzipped)
    data = _files.get(key)
    if data is None:
        raw = open_data_file(sha, archive, kind).read_bytes()
        data = gzip.compress(raw, compresslevel=6, mtime=0) if gzipped else raw
        with _lock:
            for old in [k for k in _files if k[0] != sha]:  # an older archive's files
                del _files[old]
            _files[key] = data
    return data
