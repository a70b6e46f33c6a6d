"""The check every Word or Excel file passes before anything parses it: the zip's parts, what
each claims and what each actually inflates to, how far each is compressed, and how many XML
elements they hold; and which exceptions mean a malformed file.

The claims of the zip's directory are checked first (nothing inflated), then every part is
inflated in chunks and counted as it comes, since a directory can lie: a part stops being
read at the first byte past a bound. Counting elements is counting ``<`` in the chunks (an
element starts with one; text cannot hold one unescaped), at the speed of memory.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from typing import IO, Any

from chiso.office.limits import MB, Limits
from chiso.problems import ProblemReport, Refusal

Source = str | Path | bytes | IO[bytes]
"""A file's path, its bytes, or an open binary stream (an upload) positioned anywhere."""

CHUNK = MB
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def opened(source: Source) -> str | IO[bytes]:
    """What :class:`zipfile.ZipFile` and openpyxl take for ``source`` (a stream rewound)."""
    if isinstance(source, bytes):
        return io.BytesIO(source)
    if isinstance(source, (str, Path)):
        return str(source)
    source.seek(0)
    return source


def malformed() -> tuple[type[BaseException], ...]:
    """The exceptions by which zipfile, zlib, the XML parsers, openpyxl and python-docx say
    that a file is not what it claims: a damaged zip or deflate stream, a missing part, XML
    that does not parse, values of the wrong type or out of range. Anything else (an
    AttributeError, a RecursionError, an AssertionError…) is a fault of the program and is
    raised as itself. Caught only around the parsing libraries' own calls, never around
    chiso's reading of what they return."""
    found: list[type[BaseException]] = [
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        KeyError,  # a part the file names is missing
        IndexError,  # a style or string index past the end of its table
        TypeError,  # openpyxl's descriptors: a value of the wrong type in the XML
        ValueError,  # a value out of range, invalid XML per openpyxl, a DTD (defusedxml)
        SyntaxError,  # xml.etree's ParseError and lxml's XMLSyntaxError
        NotImplementedError,  # zipfile: a compression method it does not know
    ]
    try:
        from openpyxl.utils.exceptions import InvalidFileException

        found.append(InvalidFileException)
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        pass
    return tuple(found)


def unreadable(shown: str, exc: BaseException | str) -> Refusal:
    """``file.unreadable`` for ``shown``, with the reason (the exception's class and first
    line, so that the person sees more than a class name and never a traceback)."""
    if isinstance(exc, str):
        reason = exc
    else:
        first = (str(exc).strip().splitlines() or [""])[0][:200]
        reason = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
    report = ProblemReport()
    report.add("file.unreadable", shown, reason=reason)
    return Refusal(report)


def _refuse(rule: str, shown: str, **params: Any) -> Refusal:
    report = ProblemReport()
    report.add(rule, shown, **params)
    return Refusal(report)


def _megabytes(size: int) -> str:
    return f"{size / MB:g}"


_DIRECTORY_ENTRY = 1024
"""The most bytes one part's entry in the zip's central directory is allowed on average (46
fixed bytes, its name, its extra fields): the directory is read whole, into an object per
entry, before any part can be counted."""


def directory_claims(source: Source) -> tuple[int, int] | None:
    """(parts, bytes of the central directory) as the zip's end record says them, read from
    the file's last 64 KB before :class:`zipfile.ZipFile` reads the directory itself (which
    it reads to the size the end record gives, building an object per entry: 20 MB of
    entries are 400,000 objects and 250 MB). None when there is no end record (not a zip:
    zipfile says so)."""
    stream = opened(source)
    own = isinstance(stream, str)
    fp: IO[bytes] = open(stream, "rb") if isinstance(stream, str) else stream  # noqa: SIM115
    try:
        size = fp.seek(0, io.SEEK_END)
        tail_length = min(size, 65_536 + 22)
        fp.seek(size - tail_length)
        tail = fp.read(tail_length)
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or at + 22 > len(tail):
            return None
        parts = int.from_bytes(tail[at + 10 : at + 12], "little")
        directory = int.from_bytes(tail[at + 12 : at + 16], "little")
        locator = at - 20
        zip64 = locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07"
        if zip64 and (parts == 0xFFFF or directory == 0xFFFFFFFF):
            # the end record's counts are in the zip64 end record it points to
            fp.seek(int.from_bytes(tail[locator + 8 : locator + 16], "little"))
            record = fp.read(56)
            if record[:4] == b"PK\x06\x06" and len(record) == 56:
                parts = int.from_bytes(record[32:40], "little")
                directory = int.from_bytes(record[40:48], "little")
        return parts, directory
    except OSError:
        return None
    finally:
        if own:
            fp.close()
        else:
            fp.seek(0)


def check_archive(source: Source, shown: str, limits: Limits, kind: str = "workbook") -> None:
    """Raise :class:`Refusal` unless ``source`` is a zip within ``limits`` for a
    ``workbook`` or a ``document``: its parts counted (from the end record first, then from
    the directory), their sizes as claimed and as inflated, each part's compression ratio,
    and the XML elements of all parts."""
    claims = directory_claims(source)
    if claims is not None:
        parts, directory = claims
        if parts > limits.parts or directory > limits.parts * _DIRECTORY_ENTRY:
            shown_parts = max(parts, directory // _DIRECTORY_ENTRY)
            raise _refuse("file.too_many_parts", shown, count=shown_parts, limit=limits.parts)
    try:
        archive = zipfile.ZipFile(opened(source))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise unreadable(shown, exc) from None
    with archive:
        infos = archive.infolist()
        _check_directory(infos, shown, limits)
        elements = 0
        inflated = 0
        for info in infos:
            if info.is_dir():
                continue
            xml = info.filename.lower().endswith(_XML_SUFFIXES)
            size = 0
            try:
                with archive.open(info) as part:
                    while chunk := part.read(CHUNK):
                        size += len(chunk)
                        inflated += len(chunk)
                        _check_part(info, size, inflated, shown, limits)
                        if xml:
                            elements += (
                                chunk.count(b"<")
                                - chunk.count(b"</")
                                - chunk.count(b"<?")
                                - chunk.count(b"<!")
                            )
                            if elements > limits.elements(kind):
                                raise _refuse(
                                    "file.too_many_elements", shown, limit=limits.elements(kind)
                                )
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
                # a damaged deflate stream, a CRC that does not match (a size that lied)
                raise unreadable(shown, exc) from None


def _check_directory(infos: list[zipfile.ZipInfo], shown: str, limits: Limits) -> None:
    """The claims of the zip's directory, before anything is inflated."""
    if len(infos) > limits.parts:
        raise _refuse("file.too_many_parts", shown, count=len(infos), limit=limits.parts)
    claimed = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise unreadable(shown, f"encrypted part {info.filename}")
        if info.compress_type not in _COMPRESSIONS:
            raise unreadable(
                shown, f"part {info.filename} compressed by method {info.compress_type}"
            )
        claimed += info.file_size
        _check_part(info, info.file_size, claimed, shown, limits)


def _check_part(info: zipfile.ZipInfo, size: int, total: int, shown: str, limits: Limits) -> None:
    if size > limits.part_bytes:
        raise _refuse(
            "file.part_too_large", shown, part=info.filename, limit=_megabytes(limits.part_bytes)
        )
    if total > limits.total_bytes:
        raise _refuse("file.unpacked_too_large", shown, limit=_megabytes(limits.total_bytes))
    if size >= limits.ratio_from and size > limits.ratio * max(info.compress_size, 1):
        raise _refuse(
            "file.compression_ratio",
            shown,
            part=info.filename,
            ratio=size // max(info.compress_size, 1),
            limit=limits.ratio,
        )


def part_names(source: Source, limits: Limits) -> list[str] | None:
    """The names of the parts of the zip ``source`` (to tell a Word file from a workbook by
    what it holds); None when it is not a zip, or holds more parts than ``limits`` allow
    (its directory is then never read)."""
    claims = directory_claims(source)
    if claims is None:
        return None
    parts, directory = claims
    if parts > limits.parts or directory > limits.parts * _DIRECTORY_ENTRY:
        return None
    try:
        with zipfile.ZipFile(opened(source)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return None
