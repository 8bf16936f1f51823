"""Need-to-know: the rows a user may read because they, or someone on their team, made or hold them."""

from __future__ import annotations

from django.db.models import Q

from porchlight.accounts.models import User


def team_scope_q(*, user: User, fields: tuple[str, ...]) -> Q:
    """Rows whose user in any of `fields` (e.g. "owner", "created_by") is `user` or a member of their team."""
    scope = Q(pk__in=[])
    for field in fields:
        scope |= Q(**{field: user.pk})
        if user.team_id is not None:
            scope |= Q(**{f"{field}__team_id": user.team_id})
    return scope
