"""Which framework a code names: a province's uploaded versions (the newest), the built-in
ones, or the copy the newest cycle opened with it keeps. What a *cycle* was opened with is
:func:`chiso.web.core.frameworks.framework_of`, read from the cycle itself."""

from __future__ import annotations

from chiso.frameworks import Framework, framework_from_text
from chiso.frameworks.registry import builtin_paths, framework_text
from chiso.problems import Refusal
from chiso.web.core.frameworks import framework_of
from chiso.web.cycles.models import Cycle, FrameworkVersion


def framework_source(code: str) -> tuple[str, FrameworkVersion | None] | None:
    """The text a new use of ``code`` starts from: a province's uploaded framework at its
    newest version, else the built-in one of that code (a code, never a path); None when
    neither exists."""
    version = FrameworkVersion.objects.filter(code=code).order_by("-version").first()
    if version is not None:
        return version.yaml, version
    if code in {p.stem for p in builtin_paths()}:
        return framework_text(code), None
    return None


def framework_by_code(code: str) -> Framework:
    """The framework a code names, as everything outside a cycle reads it (the
    responsibility map, its drop-down, plans): as a new cycle would open it now
    (:func:`framework_source`), else as the newest cycle opened with it stored it; an unknown
    code is refused. A cycle itself always keeps its own copy
    (:func:`chiso.web.core.frameworks.framework_of`)."""
    source = framework_source(code)
    if source is not None:
        return framework_from_text(source[0], code)
    cycle = Cycle.objects.filter(framework_code=code).order_by("-pk").first()
    if cycle is None:
        raise Refusal("plans.unknown_framework", framework=code)
    return framework_of(cycle)


def framework_codes() -> list[str]:
    """Every code :func:`framework_by_code` knows: uploaded, built-in, and opened in a cycle."""
    return sorted(
        set(FrameworkVersion.objects.values_list("code", flat=True))
        | {p.stem for p in builtin_paths()}
        | set(Cycle.objects.values_list("framework_code", flat=True))
    )
