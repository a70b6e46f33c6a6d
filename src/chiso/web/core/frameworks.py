"""A cycle's framework, as every app reads it: from the copy the cycle keeps (its YAML), never
from a file that may have changed since it was opened. Which framework a *code* names
(uploaded versions, built-in ones) is the cycles app's
(:func:`chiso.web.cycles.frameworks.framework_by_code`), which owns those versions."""

from __future__ import annotations

from typing import Any

from chiso.frameworks import Framework, framework_from_text
from chiso.scoring import compile_plan
from chiso.scoring.plan import ScoringPlan


def framework_of(cycle: Any) -> Framework:
    """The framework ``cycle`` was opened with (its stored YAML), read once per text: the
    library keeps it (``framework_from_text`` is cached), so a page asks as often as it likes."""
    return framework_from_text(cycle.framework_yaml, cycle.framework_code)


def plan_of(cycle: Any) -> ScoringPlan:
    """The compiled scoring plan of the cycle's framework, made once per framework
    (``compile_plan`` is cached)."""
    return compile_plan(framework_of(cycle))
