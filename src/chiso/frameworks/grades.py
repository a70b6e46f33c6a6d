"""The grade of one value against a framework's bands, where the bands may be known only in
part (``groups.ungraded``): the service index's portal grades a unit's month, but only its two
ends (xuất sắc from 90, yếu below 50) were found with a source, so a value between them is
"not graded" — a state of its own, never an invented band, and never an error.

Ranked results get their groups from :func:`chiso.scoring.ranking.assign_groups` (a value in a
gap gets none there too); this answers for a single value the pages show on their own, such as
a unit's month of the service index.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from chiso.frameworks.model import Band, Framework
from chiso.numbers import round_half_up

GradeState = Literal["graded", "ungraded", "incomplete", "none"]


@dataclass(frozen=True)
class Grade:
    """``graded``: the value is in ``band``; ``ungraded``: it is in a gap the framework
    declares (thresholds not published); ``incomplete``: the value does not cover the whole
    framework, so it is not graded; ``none``: the framework has no bands by value, or there is
    no value."""

    state: GradeState
    band: Band | None = None


def grade_of(framework: Framework, value: float | None, complete: bool = True) -> Grade:
    """The grade of ``value`` (on the scale the framework groups on), rounded to the
    framework's published precision first, as every group is assigned."""
    groups = framework.groups
    if groups is None or groups.method != "bands" or value is None or value != value:
        return Grade("none")
    if not complete:
        return Grade("incomplete")
    band = groups.band_for(round_half_up(value, framework.precision))
    if band is not None:
        return Grade("graded", band)
    return Grade("ungraded")
