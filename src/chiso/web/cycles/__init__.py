"""The assessment cycle: units, score sheets, evidence, appraisal, explanations, publication."""
