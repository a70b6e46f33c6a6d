"""A cycle's framework, as every app reads it: from the copy the cycle keeps (its YAML), never
from a file that may have changed since it was opened. Which framework a *code* names
(uploaded versions, built-in ones) is the cycles app's
(:func:`chiso.web.cycles.frameworks.framework_by_code`), which owns those versions."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from chiso.frameworks import Framework, framework_from_text
from chiso.scoring import compile_plan
from chiso.scoring.plan import ScoringPlan


def framework_of(cycle: Any) -> Framework:
    """The framework ``cycle`` was opened with (its stored YAML), read once per text: the
    library keeps it (``framework_from_text`` is cached), so a page asks as often as it likes."""
    return framework_from_text(cycle.framework_yaml, cycle.framework_code)


PLANS_KEPT = 64
"""Frameworks whose plan :func:`plan_of` finds by identity (as many as ``compile_plan`` keeps)."""

_plans: OrderedDict[int, tuple[Framework, ScoringPlan]] = OrderedDict()
_plans_lock = threading.Lock()


def plan_of(cycle: Any) -> ScoringPlan:
    """The compiled scoring plan of the cycle's framework, made once per framework
    (``compile_plan`` is cached).

    Found by the framework object's identity: ``framework_of`` returns the one object it
    keeps per stored text, and looking it up in ``compile_plan``'s cache hashed the whole
    frozen tree on every call (0.01 to 0.02 ms for the shipped frameworks; a few calls on
    every page of a cycle, 0.0006 ms by identity). A framework is immutable (frozen
    dataclasses, tuples), so the object is the value; the entry holds the framework itself,
    so its id cannot be given to another object while the entry lives."""
    framework = framework_of(cycle)
    with _plans_lock:
        found = _plans.get(id(framework))
        if found is not None and found[0] is framework:
            _plans.move_to_end(id(framework))
            return found[1]
    plan = compile_plan(framework)
    with _plans_lock:
        _plans[id(framework)] = (framework, plan)
        _plans.move_to_end(id(framework))
        while len(_plans) > PLANS_KEPT:
            _plans.popitem(last=False)
    return plan
