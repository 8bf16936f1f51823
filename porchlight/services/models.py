from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from porchlight.accounts.models import Team


class Organization(models.Model):
    """An agency or nonprofit that runs programs residents can be referred to."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    # A partner organization's users log in through this team and see only referrals to its programs.
    team = models.OneToOneField(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="organization"
    )
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Program(models.Model):
    """A service or program a resident can be referred to (tenant legal help, rent assistance, ...)."""

    class Category(models.TextChoices):
        HOUSING = "housing", _("Housing")
        LEGAL = "legal", _("Legal / tenant help")
        EMPLOYMENT = "employment", _("Jobs and training")
        HEALTH = "health", _("Health coverage")
        UTILITIES = "utilities", _("Utilities")
        FOOD = "food", _("Food")
        SAFETY = "safety", _("Safety")
        OTHER = "other", _("Other")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="programs", verbose_name=_("organization")
    )
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.TextField(_("description"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="program_unique_name_per_org")
        ]

    def __str__(self) -> str:
        return self.name
