"""The model's level names in the interface's language (model.py keeps them in English, as splink does)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LEVELS = {
    "same first name": _("same first name"),
    "nickname": _("nickname"),
    "first name with a typo": _("first name with a typo"),
    "initial": _("initial"),
    "similar first name": _("similar first name"),
    "different first name": _("different first name"),
    "same last name": _("same last name"),
    "one part of a compound surname": _("one part of a compound surname"),
    "last name with a typo": _("last name with a typo"),
    "similar last name": _("similar last name"),
    "different last name": _("different last name"),
    "same suffix": _("same suffix"),
    "suffix on one record only": _("suffix on one record only"),
    "different suffix": _("different suffix"),
    "same address": _("same address"),
    "same building, another unit": _("same building, another unit"),
    "same ZIP code": _("same ZIP code"),
    "different address": _("different address"),
    "same phone": _("same phone"),
    "different phones": _("different phones"),
    "same email": _("same email"),
    "different emails": _("different emails"),
    "same age range": _("same age range"),
    "different age range": _("different age range"),
}


def level_label(level: str) -> str:
    return str(LEVELS.get(level, level))
