"""Surveys: design-based estimation (weights, strata, clusters) checked against R's survey."""

from chiso.surveys.design import DesignError, Estimates, SurveyDesign

__all__ = ["DesignError", "Estimates", "SurveyDesign"]
