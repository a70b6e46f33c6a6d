"""Surveys: design-based estimation (weights, strata, clusters) checked against R's survey.

The estimator is :mod:`chiso.surveys.design` (NumPy arrays in, estimates out); reading
responses, exports and population counts, and writing tables, live in modules of their own.
The names below are loaded on first use, so that importing a light module of this package
(``chiso.surveys.intervals``, ``chiso.surveys.instrument``) does not import NumPy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chiso.surveys.design import Contrasts, DesignError, Estimates, SurveyDesign

__all__ = ["Contrasts", "DesignError", "Estimates", "SurveyDesign"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from chiso.surveys import design

        return getattr(design, name)
    raise AttributeError(f"module 'chiso.surveys' has no attribute {name!r}")
