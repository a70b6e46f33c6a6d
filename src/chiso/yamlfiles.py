"""YAML files that remember where each key stood, so that every problem names its line.

Every YAML file a person can give chiso (a framework on the command line, uploaded, checked
through the API or stored as a version; a survey instrument; the archive's sources.yaml) is
read by :func:`load_yaml`, which refuses, before anything is built, what would cost more
than any such file is worth (issue #19: a 1,475-byte framework whose anchors referenced each
other 16 levels deep took 11 s and 45 MB to answer, and each level doubled both):

- a file over :data:`MAX_BYTES`;
- any anchor or alias (``&name``, ``*name``, and so the ``<<: *name`` merge): an alias makes
  one line stand for a whole subtree, and a few lines of them for billions of values. chiso's
  files never need one (a value used twice is written twice);
- nesting deeper than :data:`MAX_DEPTH` levels (the composer recurses per level: 5,000
  brackets raised RecursionError);
- more than :data:`MAX_NODES` values (each costs about a kilobyte once built, with its line).

These are checked on the parser's events, which stream: nothing is built until the whole
file has passed. Then the document is built, and a value that YAML cannot convert (a date
``2024-13-01``, a number of more than 4,300 digits, ``!!float abc``) is a problem naming its
line rather than a ValueError. The C parser (libyaml) is used when PyYAML has it: the pure
Python one takes ten times as long."""

from __future__ import annotations

from typing import Any

import yaml

from chiso.problems import ProblemReport

MAX_BYTES = 2 * 2**20
"""The largest YAML file read: the largest real one (the archive's sources.yaml) is 24 KB, and
a province's framework with all its guidance a few hundred KB."""
MAX_DEPTH = 50
"""The deepest nesting read: a framework four levels deep nests about ten."""
MAX_NODES = 50_000
"""The most values (scalars, lists and mappings) read: the largest real file holds about
3,000; this many are read in well under a second."""

_BASE: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CONVERSION_ERRORS = (ValueError, TypeError, ArithmeticError, LookupError, AttributeError)
"""What SafeConstructor lets through from a value it cannot convert (``int()`` of 5,000
digits, ``date(2024, 13, 1)``, ``!!int ''``, a ``!!timestamp`` that is no date)."""


class LineMap(dict[str, Any]):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list[Any]):
    line: int = 0


class _BadValue(Exception):
    """A value YAML could not convert, with the line it stands on."""

    def __init__(self, line: int, value: str, reason: str) -> None:
        super().__init__(reason)
        self.line, self.value, self.reason = line, value, reason


class _Loader(_BASE):  # type: ignore[misc]
    def construct_object(self, node: Any, deep: bool = False) -> Any:
        """The value of ``node``; a conversion that fails (``int('9' * 5000)``, a 13th
        month) is reported on the node's line."""
        try:
            return super().construct_object(node, deep)
        except _CONVERSION_ERRORS as exc:
            value = node.value if isinstance(node.value, str) else ""
            raise _BadValue(node.start_mark.line + 1, value[:40], str(exc)[:200]) from None


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineMap:
    loader.flatten_mapping(node)
    out = LineMap()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        # a key is a name, read as written: YAML 1.1 would make ``on:`` the boolean true
        # (so ``groups: {on: total}`` was silently "True") and ``1.10:`` the number 1.1
        if isinstance(key_node, yaml.ScalarNode):
            key = key_node.value
        else:
            key = str(loader.construct_object(key_node, deep=True))
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _refused(text: str, file: str, report: ProblemReport) -> bool:
    """Walk the parser's events (nothing is built) and add the first reason to refuse the
    document: an anchor or alias, nesting too deep, too many values."""
    depth = nodes = 0
    for event in yaml.parse(text, Loader=_BASE):
        line = event.start_mark.line + 1 if event.start_mark else None
        anchor = getattr(event, "anchor", None)  # an alias's name, or an anchor's
        if anchor is not None:
            report.add("yaml.alias", file, line, name=anchor)
            return True
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                report.add("yaml.too_deep", file, line, limit=MAX_DEPTH)
                return True
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if isinstance(event, yaml.NodeEvent):
            nodes += 1
            if nodes > MAX_NODES:
                report.add("yaml.too_many_nodes", file, line, limit=MAX_NODES)
                return True
    return False


def load_yaml(raw: bytes, file: str, report: ProblemReport) -> Any:
    """Parse ``raw`` (UTF-8, BOM allowed) by the rules above; on failure add a problem and
    return None."""
    if len(raw) > MAX_BYTES:
        report.add("yaml.too_large", file, limit=f"{MAX_BYTES / 2**20:g}")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.add("file.encoding", file)
        return None
    try:
        if _refused(text, file, report):
            return None
        doc = yaml.load(text, Loader=_Loader)
    except _BadValue as bad:
        report.add("yaml.bad_value", file, bad.line, value=bad.value, reason=bad.reason)
        return None
    except _CONVERSION_ERRORS as exc:  # in a !!set or !!omap, filled after its node
        report.add("yaml.bad_value", file, value="", reason=str(exc)[:200])
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        if "maximum nesting depth" in str(exc.problem):  # libyaml's own limit, which it
            # meets while scanning ahead, before the events reach MAX_DEPTH
            report.add("yaml.too_deep", file, mark.line + 1 if mark else None, limit=MAX_DEPTH)
            return None
        report.add(
            "framework.yaml", file, mark.line + 1 if mark else None, reason=str(exc.problem or exc)
        )
        return None
    except yaml.YAMLError as exc:
        report.add("framework.yaml", file, reason=str(exc))
        return None
    if doc is None:
        report.add("file.empty", file)
    return doc
