from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from porchlight.accounts.roles import ROLE_CAPABILITIES, Capability, Role


class Team(models.Model):
    """A city department, partner organization or volunteer group whose members do outreach."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("City department")
        PARTNER = "partner", _("Partner organization")
        YOUTH_COUNCIL = "youth_council", _("Youth council")
        CIVIC_ACADEMY = "civic_academy", _("Civic-academy graduates")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_partner(self) -> bool:
        return self.kind == self.Kind.PARTNER


class User(AbstractUser):
    """A staff member or partner-organization user who signs in to Porchlight."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OUTREACH_WORKER)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="members")
    languages = models.JSONField(
        _("languages spoken"), default=list, blank=True, help_text=_("Language codes, e.g. ['en', 'es'].")
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def capabilities(self) -> frozenset[str]:
        if not self.is_active:
            return frozenset()
        if self.is_superuser:
            return ROLE_CAPABILITIES[Role.ADMINISTRATOR]
        return ROLE_CAPABILITIES.get(self.role, frozenset())

    def can(self, capability: Capability | str) -> bool:
        return capability in self.capabilities

    def require(self, capability: Capability | str) -> None:
        """Raise PermissionDenied (HTTP 403) unless the user has the capability."""
        if not self.can(capability):
            raise PermissionDenied

    @property
    def is_partner(self) -> bool:
        """Partner users see only what is assigned to their organization."""
        return self.team is not None and self.team.is_partner and not self.is_superuser

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.role == Role.ADMINISTRATOR


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: ANN003 - same signature as QuerySet.update
        raise PermissionDenied("The audit log is append-only.")

    def delete(self):
        raise PermissionDenied("The audit log is append-only.")


class AuditEvent(models.Model):
    """One entry in the append-only record of who viewed, exported or changed which record, and when."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        EXPORT = "export", _("Exported")
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        IMPORT = "import", _("Imported")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="audit_events")
    action = models.CharField(max_length=10, choices=Action.choices)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=64, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        if self.pk is not None:
            raise PermissionDenied("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # noqa: ANN002, ANN003
        raise PermissionDenied("The audit log is append-only.")
