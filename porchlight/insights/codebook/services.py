"""Writes for editing a campaign's codebook by hand: add, edit, deactivate and reactivate themes.

Seeding, coding and analysts' decisions on codes live in insights/coding/services.py.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from porchlight.insights.models import Theme
from porchlight.outreach.models import Campaign


def _check(*, campaign: Campaign, theme: Theme | None, name: str, parent: Theme | None) -> None:
    """A theme's rules: a name unique in its codebook; a parent in the same codebook, one level deep."""
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the theme a name.")]
    else:
        clash = Theme.objects.filter(campaign=campaign, name__iexact=name)
        if theme is not None:
            clash = clash.exclude(pk=theme.pk)
        if clash.exists():
            errors["name"] = [_("The codebook already has a theme called %(name)s.") % {"name": name}]
    if parent is not None:
        # Sub-themes go one level deep: deeper trees are hard to read in a chart and to code reliably.
        if parent.campaign_id != campaign.pk:
            errors["parent"] = [_("Choose a theme of this campaign's codebook.")]
        elif theme is not None and parent.pk == theme.pk:
            errors["parent"] = [_("A theme cannot be part of itself.")]
        elif parent.parent_id:
            errors["parent"] = [_("Choose a main theme: sub-themes cannot have sub-themes.")]
        elif theme is not None and theme.children.exists():
            errors["parent"] = [_("This theme has sub-themes, so it cannot become a sub-theme itself.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def theme_create(
    *,
    campaign: Campaign,
    name: str,
    name_es: str = "",
    description: str = "",
    description_es: str = "",
    parent: Theme | None = None,
) -> Theme:
    """Add a theme (or a sub-theme) to a campaign's codebook."""
    name = name.strip()
    _check(campaign=campaign, theme=None, name=name, parent=parent)
    return Theme.objects.create(
        campaign=campaign,
        name=name[:100],
        name_es=name_es.strip()[:100],
        description=description.strip(),
        description_es=description_es.strip(),
        parent=parent,
    )


@transaction.atomic
def theme_update(
    *,
    theme: Theme,
    name: str,
    name_es: str = "",
    description: str = "",
    description_es: str = "",
    parent: Theme | None = None,
) -> Theme:
    """Edit a theme. The coder picks up the change on its next run (its codebook version changes)."""
    name = name.strip()
    _check(campaign=theme.campaign, theme=theme, name=name, parent=parent)
    theme.name, theme.name_es = name[:100], name_es.strip()[:100]
    theme.description, theme.description_es = description.strip(), description_es.strip()
    theme.parent = parent
    theme.save(update_fields=["name", "name_es", "description", "description_es", "parent"])
    return theme


@transaction.atomic
def theme_set_active(*, theme: Theme, active: bool) -> Theme:
    """Deactivate (or bring back) a theme. Its codes and analysts' decisions are kept, so reactivating loses
    nothing; an inactive theme is not coded, not offered to analysts and its sub-themes go with it."""
    parent = theme.parent
    if active and parent is not None and not parent.is_active:
        raise ValidationError(
            _("Reactivate %(parent)s first: this is one of its sub-themes.") % {"parent": parent.name}
        )
    theme.is_active = active
    theme.save(update_fields=["is_active"])
    if not active:
        theme.children.update(is_active=False)
    return theme
