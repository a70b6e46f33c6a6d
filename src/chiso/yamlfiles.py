"""YAML files that remember where each key stood, so that every problem names its line."""

from __future__ import annotations

from typing import Any

import yaml

from chiso.problems import ProblemReport


class LineMap(dict[str, Any]):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list[Any]):
    line: int = 0


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineMap:
    loader.flatten_mapping(node)
    out = LineMap()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        out[str(key)] = loader.construct_object(value_node, deep=True)
        out.key_lines[str(key)] = key_node.start_mark.line + 1
    return out


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(raw: bytes, file: str, report: ProblemReport) -> Any:
    """Parse ``raw`` (UTF-8, BOM allowed); on failure add a problem and return None."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.add("file.encoding", file)
        return None
    try:
        doc = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
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
