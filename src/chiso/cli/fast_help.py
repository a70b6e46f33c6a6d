"""Typer's help without Markdown and tracebacks: ``chiso --help`` in a fraction of the time.

Typer formats help and usage errors with Rich through ``typer.rich_utils``, which imports at
its top ``rich.markdown`` (and with it markdown-it-py), for the ``"markdown"`` markup mode,
and ``rich.traceback`` (and with it Pygments), for its pretty exceptions. chiso uses Rich
markup, never Markdown, and turns pretty exceptions off, yet these two imports were some 60 ms
of the 200 ms ``chiso --help`` took. :func:`defer_rich_imports` stands a small module in for
each, whose class (``Markdown``, ``Traceback``) imports the real module the first time one is
made, as does asking it for any other name: nothing changes for a caller that uses them.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

DEFERRED = {"rich.markdown": "Markdown", "rich.traceback": "Traceback"}
"""module: the one name ``typer.rich_utils`` imports from it"""


class _StandIn(types.ModuleType):
    """A module that becomes the real one as soon as anything but its class is asked for."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system asks for __path__ and the like
            raise AttributeError(name)
        return getattr(_real(self.__name__), name)


def _real(module: str) -> types.ModuleType:
    """The real ``module``, imported now in place of its stand-in."""
    if isinstance(sys.modules.get(module), _StandIn):
        del sys.modules[module]
    return importlib.import_module(module)


def _deferred_class(module: str, name: str) -> type:
    def __new__(cls: type, *args: Any, **kwargs: Any) -> Any:
        return getattr(_real(module), name)(*args, **kwargs)

    doc = f"Stands in for {module}.{name}: making one makes the real one."
    return type(name, (), {"__new__": __new__, "__doc__": doc, "__module__": __name__})


def defer_rich_imports() -> None:
    """Put the stand-ins in place, for each module not imported already."""
    for module, name in DEFERRED.items():
        if module in sys.modules:
            continue
        stand_in = _StandIn(module, f"Stands in for {module} until it is used ({__name__}).")
        setattr(stand_in, name, _deferred_class(module, name))
        sys.modules[module] = stand_in
