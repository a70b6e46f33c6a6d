"""Surveys: design-based estimation (weights, strata, clusters) checked against R's survey."""

from chiso.surveys.design import Contrasts, DesignError, Estimates, SurveyDesign

__all__ = ["Contrasts", "DesignError", "Estimates", "SurveyDesign"]
