from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import models, router, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from porchlight.accounts.chain import GENESIS, chain_lock, event_digest
from porchlight.accounts.roles import ROLE_CAPABILITIES, SECOND_FACTOR_CAPABILITIES, Capability, Role


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

    # Added to the request's user by django-otp's OTPMiddleware: True once the second factor is entered.
    is_verified: Callable[[], bool]

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OUTREACH_WORKER)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="members")
    languages = models.JSONField(
        _("languages spoken"), default=list, blank=True, help_text=_("Language codes, e.g. ['en', 'es'].")
    )
    # Raised by "sign out everywhere": every session signed with an older value stops being valid.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

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

    @property
    def needs_second_factor(self) -> bool:
        """Whoever may see residents' identities or what they said must sign in with a second factor."""
        return bool(self.capabilities & SECOND_FACTOR_CAPABILITIES)

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django checks this hash on every request and ends a session whose hash no longer matches (as after
        # a password change). Mixing in session_epoch lets "sign out everywhere" do the same; at epoch 0 the
        # hash is Django's own, so existing sessions survive the upgrade.
        if not self.session_epoch:
            return super()._get_session_auth_hash(secret=secret)  # type: ignore[misc]  # private; not in the stubs
        key_salt = "porchlight.accounts.User.session_auth_hash"
        value = f"{self.password}:{self.session_epoch}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionDenied("The audit log is append-only.")

    def delete(self) -> NoReturn:
        raise PermissionDenied("The audit log is append-only.")

    def bulk_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionDenied("Audit events are appended one by one, each linked to the one before.")


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
    # The hash chain (accounts/chain.py): position, the previous row's hash, this row's hash.
    seq = models.BigIntegerField(unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionDenied("The audit log is append-only.")
        using = kwargs.get("using") or router.db_for_write(AuditEvent)
        with transaction.atomic(using=using):
            chain_lock(using)
            last = AuditEvent.objects.using(using).order_by("-seq").values_list("seq", "hash").first()
            self.seq, self.prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
            self.hash = self.digest()
            super().save(*args, **kwargs)

    def digest(self) -> str:
        """What `hash` must be for this row's content and `prev_hash`."""
        return event_digest(
            seq=self.seq,
            at=self.at,
            actor_id=self.actor_id,
            action=self.action,
            object_type=self.object_type,
            object_id=self.object_id,
            detail=self.detail,
            ip_address=self.ip_address,
            prev_hash=self.prev_hash,
        )

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionDenied("The audit log is append-only.")
