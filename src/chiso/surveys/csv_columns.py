"""A plain CSV body split into columns with NumPy, for reading large survey responses fast.

Why: a national survey is tens of thousands of rows × dozens of columns, and Python's ``csv``
module makes a string object of every cell before anything is converted; that took longer
than everything else ``chiso survey estimate`` does. A body with no quote character, no
carriage return alone and no NUL is split by the ``csv`` module exactly at its delimiters and
newlines, so such a body is split here on its bytes instead: each field is a (start, end) pair
into the UTF-8 text, a plain decimal number (``12``, ``-0.5``, ``.25``, at most 15 digits) is
converted by vectorised arithmetic (digits as an integer over a power of ten: one correctly
rounded division, the value ``float()`` gives), and every other field is decoded once per
distinct value. :func:`split_body` returns ``None`` whenever this does not hold (quotes, rows
of another length, blank rows, a field beyond the ``csv`` module's size limit): the caller
then reads the rows with :func:`chiso.tables.sources.open_table`, and either way the cells are
those ``open_table`` gives, stripped, ``None`` when blank.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

MAX_DIGITS = 15  # below 2**53: the digits are an exact integer
_POW10 = 10.0 ** np.arange(MAX_DIGITS + 1)
_NEWLINE, _DOT, _PLUS, _MINUS, _ZERO, _NINE = (ord(c) for c in "\n.+-09")


@dataclass(frozen=True)
class SplitBody:
    """The fields of a CSV body: ``starts``/``ends`` ``[row, column]`` into ``buf``."""

    data: bytes
    buf: npt.NDArray[np.uint8]
    starts: IntArray
    ends: IntArray
    ascii: bool
    windows: npt.NDArray[np.uint64]  # the 8 bytes from every offset, as little-endian words

    @property
    def n_rows(self) -> int:
        return len(self.starts)

    def field(self, row: int, column: int) -> str:
        return self.data[self.starts[row, column] : self.ends[row, column]].decode("utf-8")

    def _span(self, column: int, rows: IntArray | None = None) -> tuple[IntArray, IntArray]:
        starts, ends = self.starts[:, column], self.ends[:, column]
        if rows is not None:
            starts, ends = starts[rows], ends[rows]
        return starts, ends

    def _bytes(self, starts: IntArray, ends: IntArray) -> tuple[npt.NDArray[np.uint8], IntArray]:
        """Fields as a zero-padded byte matrix ``[field, byte]``, and their widths."""
        widths = ends - starts
        width = int(widths.max()) if len(widths) else 0
        index = starts[:, None] + np.arange(width)
        inside = np.arange(width) < widths[:, None]
        matrix = np.where(inside, self.buf[np.minimum(index, len(self.buf) - 1)], 0)
        return matrix.astype(np.uint8), widths

    @cached_property
    def keys(self) -> npt.NDArray[np.uint64]:
        """Every field's first 8 bytes (zero-padded) as one integer ``[column, row]``: the
        field itself when it is no longer."""
        starts, ends = self.starts.T, self.ends.T
        keys: npt.NDArray[np.uint64] = self.windows[starts] & _MASKS[np.minimum(ends - starts, 8)]
        return keys

    def _keys(self, column: int, rows: IntArray | None) -> npt.NDArray[np.uint64]:
        keys: npt.NDArray[np.uint64] = self.keys[column]
        return keys if rows is None else keys[rows]

    def varied(self, column: int, sample: int = 256) -> bool:
        """Whether the column's first rows are mostly distinct (weights, say, rather than
        answers): its numbers are then better read in bulk (:meth:`decimals`) than per
        distinct cell. Either way gives the same cells."""
        starts, ends = self._span(column)
        starts, ends = starts[:sample], ends[:sample]
        if self.ascii and len(starts) and int((ends - starts).max()) <= 8:
            distinct = len(np.unique(self.keys[column][:sample]))
        else:
            distinct = len(
                {self.data[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True)}
            )
        return distinct > len(starts) // 4

    def cells(self, column: int, rows: IntArray | None = None) -> tuple[IntArray, list[str | None]]:
        """The column's cells (of ``rows``) as codes into their distinct values, each stripped,
        ``None`` when blank, as ``open_table`` gives them."""
        starts, ends = self._span(column, rows)
        if len(starts) == 0:
            return np.zeros(0, dtype=np.intp), []
        if self.ascii and int((ends - starts).max()) <= 8:
            distinct, codes = _factorise_keys(self._keys(column, rows))
            # distinct values in the order they first appear, as a row-by-row reading has them
            appearance = np.argsort(_first_rows(codes, len(distinct)), kind="stable")
            rank = np.empty_like(appearance)
            rank[appearance] = np.arange(len(appearance))
            raw = [
                int(k).to_bytes(8, "little").rstrip(b"\0").decode("ascii")
                for k in distinct[appearance]
            ]
        else:
            data = self.data
            texts = [data[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]
            index: dict[bytes, int] = {}
            codes = np.asarray([index.setdefault(t, len(index)) for t in texts], dtype=np.intp)
            raw = [t.decode("utf-8") for t in index]
            rank = np.arange(len(raw), dtype=np.intp)  # already in the order they appear
        # distinct raw fields may strip to the same cell: map them to one
        merged: dict[str | None, int] = {}
        remap = np.asarray(
            [merged.setdefault(text.strip() or None, len(merged)) for text in raw], dtype=np.intp
        )
        # each code through its rank and its stripped cell at once: one pass over the rows
        final: IntArray = remap[rank][codes]
        return final, list(merged)

    def decimals(self, column: int) -> tuple[FloatArray, BoolArray]:
        """The column's plain decimal numbers (``[+-]digits[.digits]``, at most 15 digits, no
        spaces) and where there are such; the other fields are left for :meth:`cells`."""
        starts, ends = self._span(column)
        n = len(starts)
        values = np.full(n, np.nan)
        ok = np.zeros(n, dtype=bool)
        if n == 0:
            return values, ok
        widths = ends - starts
        if self.ascii and int(widths.max()) <= 8:
            # a survey column has few distinct fields: parse each once
            distinct, codes = _factorise_keys(self._keys(column, None))
            as_bytes = distinct.view(np.uint8).reshape(-1, 8)
            parsed, plain = _parse(as_bytes, (as_bytes != 0).sum(axis=1))
            return parsed[codes.ravel()], plain[codes.ravel()]
        # a plain number has at most 15 digits, a sign and a point
        short = np.flatnonzero(widths <= MAX_DIGITS + 2)
        if len(short):
            matrix, short_widths = self._bytes(starts[short], ends[short])
            parsed, plain = _parse(matrix, short_widths)
            values[short[plain]] = parsed[plain]
            ok[short[plain]] = True
        return values, ok


def _first_rows(codes: IntArray, n_codes: int) -> IntArray:
    """The first row of each code. A survey column's few distinct fields nearly always all
    appear in its first rows: they are looked for there, and the whole column is gone through
    only when one is missing."""
    first = np.full(n_codes, len(codes), dtype=np.intp)
    head, at = np.unique(codes[:256], return_index=True)
    first[head] = at
    if (first == len(codes)).any():
        first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)  # the first write wins last
    return first


def _factorise_keys(
    keys: npt.NDArray[np.uint64],
) -> tuple[npt.NDArray[np.uint64], IntArray]:
    """Sorted distinct keys and each key's code. A survey column has a handful of distinct
    fields, usually all among its first rows: then a binary search finds every key's code,
    without sorting the column."""
    sample = np.unique(keys[:256])
    if len(sample) <= 8:  # a few comparisons beat a binary search per key
        codes = np.zeros(len(keys), dtype=np.intp)
        for value in sample[:-1]:
            codes += keys > value
    else:
        codes = np.minimum(np.searchsorted(sample, keys), len(sample) - 1)
    if len(sample) and bool((sample[codes] == keys).all()):
        return sample, codes.astype(np.intp)
    distinct, inverse = np.unique(keys, return_inverse=True)
    return distinct, inverse.ravel().astype(np.intp)


def _parse(matrix: npt.NDArray[np.uint8], widths: IntArray) -> tuple[FloatArray, BoolArray]:
    """Plain decimal numbers in the fields ``matrix[field, byte]`` (``widths`` bytes each):
    their values, and which fields are such numbers."""
    m = len(matrix)
    mantissa = np.zeros(m, dtype=np.int64)
    n_digits = np.zeros(m, dtype=np.int64)
    after = np.zeros(m, dtype=np.int64)  # digits after the point
    dots = np.zeros(m, dtype=np.int64)
    good = np.ones(m, dtype=bool)
    negative = np.zeros(m, dtype=bool)
    for j in range(matrix.shape[1]):  # byte by byte across all fields
        inside = widths > j
        byte = matrix[:, j].astype(np.int64)
        digit = inside & (byte >= _ZERO) & (byte <= _NINE)
        dot = inside & (byte == _DOT)
        allowed = digit | dot | ~inside
        if j == 0:
            negative = inside & (byte == _MINUS)
            allowed |= negative | (inside & (byte == _PLUS))
        good &= allowed
        mantissa = np.where(digit, mantissa * 10 + (byte - _ZERO), mantissa)
        n_digits += digit
        after += digit & (dots > 0)
        dots += dot
    plain = good & (dots <= 1) & (n_digits >= 1) & (n_digits <= MAX_DIGITS)
    # digits (an exact integer) over a power of ten (exact): one rounding, float()'s
    parsed = mantissa / _POW10[np.minimum(after, MAX_DIGITS)]
    parsed = np.where(negative, -parsed, parsed)
    return np.where(plain, parsed, np.nan), plain


_MASKS = np.array([(1 << (8 * w)) - 1 for w in range(9)], dtype=np.uint64)
_SPACE = np.zeros(256, dtype=bool)
_SPACE[[ord(c) for c in " \t\n\v\f\r\x1c\x1d\x1e\x1f"]] = True  # ASCII str.isspace()


def split_body(text: str, delimiter: str, n_columns: int) -> SplitBody | None:
    """The rows after the header line of ``text`` (NFC, as decoded), or ``None`` when the
    body is not plain (see the module's docstring) and the ``csv`` module must read it."""
    if '"' in text or "\0" in text or n_columns < 2:
        return None
    header_end = text.find("\n")
    if header_end < 0 or "\r" in text[: max(header_end - 1, 0)]:
        return None
    data = text[header_end + 1 :].encode("utf-8")
    buf = np.frombuffer(data, dtype=np.uint8)
    size = len(buf) - 1 if data.endswith(b"\n") else len(buf)  # a last newline ends no row
    if size <= 0:
        return None
    returns = np.flatnonzero(buf == ord("\r"))
    if len(returns) and (returns[-1] + 1 >= len(buf) or (buf[returns + 1] != _NEWLINE).any()):
        return None  # a carriage return alone
    view = buf[:size]
    newline = view == _NEWLINE
    breaks = np.flatnonzero(newline | (view == ord(delimiter)))
    n_rows = int(np.count_nonzero(newline)) + 1
    if len(breaks) + 1 != n_rows * n_columns:
        return None
    if not newline[breaks[n_columns - 1 :: n_columns]].all():  # a row of another length
        return None
    flat_ends = np.empty(len(breaks) + 1, dtype=np.intp)
    flat_ends[:-1], flat_ends[-1] = breaks, size
    flat_starts = np.empty(len(breaks) + 1, dtype=np.intp)
    flat_starts[0] = 0
    np.add(breaks, 1, out=flat_starts[1:])
    ends = flat_ends.reshape(n_rows, n_columns)
    starts = flat_starts.reshape(n_rows, n_columns)
    if len(returns):  # each ends a line (\r\n): it belongs to no field
        last = ends[:, -1]
        last -= (last > starts[:, -1]) & (buf[np.maximum(last - 1, 0)] == ord("\r"))
    if size > csv.field_size_limit():  # no field is longer than its row
        row_ends = np.append(flat_ends[n_columns - 1 :: n_columns], 0)
        if int((row_ends[:-1] - np.roll(row_ends, 1)[:-1]).max()) > csv.field_size_limit():
            return None
    # a row of blank cells is skipped by open_table: such a file is left to it. A row whose
    # first byte is an ASCII character that is neither a space nor the delimiter has a cell
    lead = buf[np.minimum(starts[:, 0], len(buf) - 1)]
    unsure = np.flatnonzero(_SPACE[lead] | (lead >= 0x80) | (lead == ord(delimiter)))
    for row in unsure.tolist():
        line = data[starts[row, 0] : ends[row, -1]].decode("utf-8")
        if not any(cell.strip() for cell in line.split(delimiter)):
            return None
    padded = np.frombuffer(data + bytes(8), dtype=np.uint8)
    windows = np.ndarray((len(data) + 1,), dtype="<u8", buffer=padded, strides=(1,))
    return SplitBody(data, buf, starts, ends, bool(buf.max() < 0x80), windows)
