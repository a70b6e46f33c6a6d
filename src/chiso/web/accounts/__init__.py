"""People and their roles; the one place that answers "may this person do this"."""
