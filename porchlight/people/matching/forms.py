from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from porchlight.ui.forms import USWDSFormMixin


class MatchDecisionForm(USWDSFormMixin, forms.Form):
    """Merge the pair (keeping one of the two records), or say they are two people."""

    DECISIONS = [
        ("keep_a", _("Same person: keep the first record")),
        ("keep_b", _("Same person: keep the second record")),
        ("different", _("Different people: never propose this pair again")),
    ]
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
