"""Scoring: aggregate a criteria tree, compute index, rank, groups and status, compare cycles."""

from chiso.scoring.plan import ScoringPlan, compile_plan
from chiso.scoring.results import Results, Summary, score, values_from_mapping

__all__ = ["Results", "ScoringPlan", "Summary", "compile_plan", "score", "values_from_mapping"]
