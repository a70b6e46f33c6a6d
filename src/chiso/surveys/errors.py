"""The estimator's one error: a design that cannot be used as asked. Its ``rule`` names the
message (``chiso.messages``) and ``params`` fill it, so a caller can report it in the user's
language with the file it came from."""

from __future__ import annotations


class DesignError(ValueError):
    """A design that cannot be used as asked (a lonely PSU under ``fail``, bad weights...)."""

    def __init__(self, rule: str, **params: object) -> None:
        super().__init__(rule)
        self.rule = rule
        self.params = params
