"""What the account page's forms may send: a new API token's name, scope and lifetime."""

from __future__ import annotations

from typing import ClassVar

from django import forms

from chiso.web.accounts.models import ApiToken
from chiso.web.accounts.tokens import MAX_DAYS
from chiso.web.core.forms import Fallback, RuleForm


class TokenForm(RuleForm):
    name = forms.CharField(required=False, max_length=100, strip=False)
    scope = forms.ChoiceField(choices=ApiToken.SCOPES)
    days = forms.IntegerField(min_value=1, max_value=MAX_DAYS)
    fallback: ClassVar[Fallback] = {
        "name": ("token.name_missing", {}),
        "scope": ("token.bad_scope", {"scope": "?"}),
        "days": ("token.bad_days", {"most": MAX_DAYS}),
    }
