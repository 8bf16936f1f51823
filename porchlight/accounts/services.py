"""Writes for accounts: the audit log, the second factor and signing a user out everywhere."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from porchlight.accounts.models import AuditEvent, User

RECOVERY_CODE_COUNT = 10
_EMAIL = re.compile(r"@")
_DIGITS = re.compile(r"^[\d\s()+.-]+$")


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    detail: str = "",
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one entry to the audit log. Use for every view or export of a resident's record.

    `detail` holds ids, counts, kinds and fixed words only, never free text someone typed (a search, a name,
    a note): the log outlives a resident's erasure and cannot be edited. Describe a search with
    `search_summary(query)`.

    Appending holds the chain's lock until the surrounding transaction ends (accounts/chain.py): in a long
    transaction (an import, an erasure) call this last, so that other requests do not wait behind it.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    ip = request.META.get("REMOTE_ADDR") if request is not None else None
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail[:500],
        ip_address=ip or None,
    )


def search_summary(query: str) -> str:
    """What an audit entry says about a search: its kind and length, never the words searched for."""
    query = (query or "").strip()
    if not query:
        return "no search"
    kind = "email" if _EMAIL.search(query) else "number" if _DIGITS.match(query) else "text"
    return f"search: {kind}, {len(query)} characters"


# The second factor (django-otp): one TOTP device per user, and recovery codes kept as a static device.


def totp_device_start(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up for `user` (made on first call, the same one afterwards)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the authenticator with a code it shows; return new recovery codes (shown once)."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError(_("Start again: this set-up is no longer open."))
    if not verify_token(user, device.persistent_id, _digits(token)):
        raise ValidationError(_("That code is not right. Enter the 6-digit code your app shows now."))
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    # Any older authenticator stops working: one phone per person.
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    audit_record(actor=user, action=AuditEvent.Action.UPDATE, obj=user, detail="second factor set up")
    return recovery_codes_renew(user=user)


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """Replace the user's recovery codes with new ones; each works once. Returns them (store none in clear
    anywhere else: the user keeps them)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def second_factor_check(*, user: User, code: str) -> Device | None:
    """The device that accepts `code`: the authenticator (6 digits) or an unused recovery code (used up)."""
    code = (code or "").strip().lower().replace(" ", "").replace("-", "")
    if code.isdigit():
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    for device in devices:
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    return None


def _digits(token: str) -> str:
    return "".join(ch for ch in (token or "") if ch.isdigit())


@transaction.atomic
def user_sessions_revoke(*, user: User, actor: User) -> None:
    """Sign `user` out on every device: every session and their API token stop working at once."""
    User.objects.filter(pk=user.pk).update(session_epoch=models.F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    Token.objects.filter(user=user).delete()
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=user, detail="signed out everywhere")
