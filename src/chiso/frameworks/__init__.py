"""Criteria frameworks as data: versioned trees read from YAML, checked, and looked up."""

from chiso.frameworks.loader import framework_from_text, load_framework, read_framework
from chiso.frameworks.model import Band, Choice, Framework, Groups, Node, Rule
from chiso.frameworks.registry import builtin_frameworks, get_framework

__all__ = [
    "Band",
    "Choice",
    "Framework",
    "Groups",
    "Node",
    "Rule",
    "builtin_frameworks",
    "framework_from_text",
    "get_framework",
    "load_framework",
    "read_framework",
]
