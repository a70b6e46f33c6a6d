"""The scoring plan of a cycle's framework is found by the framework object's identity
(:func:`chiso.web.core.frameworks.plan_of`), never by hashing the whole framework again."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from chiso.frameworks import builtin_frameworks, framework_from_text
from chiso.frameworks.model import Framework
from chiso.frameworks.registry import framework_text
from chiso.scoring import compile_plan
from chiso.web.core import frameworks


def _cycle(code: str) -> SimpleNamespace:
    return SimpleNamespace(framework_yaml=framework_text(code), framework_code=code)


def _hashing_refused(*_: object) -> int:
    raise AssertionError("the framework was hashed")


def test_a_second_plan_of_the_same_framework_does_not_hash_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cycle = _cycle(builtin_frameworks()[0].code)
    first = frameworks.plan_of(cycle)
    monkeypatch.setattr(Framework, "__hash__", _hashing_refused)
    assert frameworks.plan_of(cycle) is first


def test_an_equal_framework_read_again_gets_the_plan_of_its_value() -> None:
    code = builtin_frameworks()[0].code
    cycle = _cycle(code)
    framework_from_text.cache_clear()  # the next read makes a new, equal object
    kept = frameworks.plan_of(cycle)
    framework_from_text.cache_clear()
    again = frameworks.plan_of(cycle)
    assert again.nodes == kept.nodes
    assert again is compile_plan(frameworks.framework_of(cycle))


def test_the_plans_found_by_identity_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(frameworks, "PLANS_KEPT", 2)
    monkeypatch.setattr(frameworks, "_plans", type(frameworks._plans)())
    cycle = _cycle(builtin_frameworks()[0].code)
    for _ in range(4):
        framework_from_text.cache_clear()  # a new object each time
        frameworks.plan_of(cycle)
    assert len(frameworks._plans) == 2
    # each entry holds its framework, so no id is reused while it is kept
    assert all(id(f) == k for k, (f, _) in frameworks._plans.items())
