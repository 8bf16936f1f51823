"""Reads of field work, scoped in one place: which turfs, call lists and targets a user may see or work, who
may be given field work, and what the planning pages list. A turf, list or target outside the user's scope
is a 404 (fetch-and-authorize helpers `*_get_for_*`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from porchlight.accounts.models import AuditEvent, Team, User
from porchlight.accounts.roles import ROLE_CAPABILITIES, Capability
from porchlight.outreach.models import Campaign, Target, TargetList, Turf
from porchlight.outreach.selectors import campaign_current

# The map shows every turf outline but at most this many door points (a browser draws 100k poorly).
MAP_MAX_DOORS = 5000


def _field_roles() -> list[str]:
    return [r for r, caps in ROLE_CAPABILITIES.items() if Capability.LOG_CONVERSATIONS in caps]


# ---- who may do field work ----


def outreach_workers() -> QuerySet[User]:
    """Active users who may knock on doors (hold LOG_CONVERSATIONS), for turf assignment."""
    return User.objects.filter(is_active=True, role__in=_field_roles()).order_by(
        "first_name", "last_name", "username"
    )


def _plans_everything(user: User) -> bool:
    return user.can(Capability.MANAGE_CAMPAIGNS) and not user.is_partner


# ---- turfs, call lists and targets a user may work ----


def turfs_visible_to(user: User) -> QuerySet[Turf]:
    """Door turfs the user may walk: their own or their team's (program managers see every turf)."""
    if not user.is_authenticated or not user.can(Capability.LOG_CONVERSATIONS):
        return Turf.objects.none()
    qs = Turf.objects.filter(target_list__kind=TargetList.Kind.DOOR).select_related(
        "target_list__campaign", "assigned_to", "assigned_team"
    )
    if _plans_everything(user):
        return qs
    scope = Q(assigned_to=user)
    if user.team_id:
        scope |= Q(assigned_team_id=user.team_id)
    return qs.filter(scope)


def turfs_assigned_to(user: User) -> QuerySet[Turf]:
    """The turfs that are the user's work (own or team's), for their queue — managers' too."""
    scope = Q(assigned_to=user)
    if user.team_id:
        scope |= Q(assigned_team_id=user.team_id)
    return turfs_visible_to(user).filter(scope)


def turf_get_for_user(*, user: User, pk: int) -> Turf:
    """Fetch and authorize: a turf that is not the user's (or their team's) is a 404."""
    return get_object_or_404(turfs_visible_to(user), pk=pk)


def call_lists_visible_to(user: User) -> QuerySet[TargetList]:
    """Phone target lists: every one for program managers, else those with residents assigned to the user."""
    qs = TargetList.objects.filter(kind=TargetList.Kind.PHONE).select_related("campaign")
    if not user.is_authenticated or not user.can(Capability.LOG_CONVERSATIONS):
        return qs.none()
    if _plans_everything(user):
        return qs
    return qs.filter(targets__assigned_to=user).distinct()


def call_lists_assigned_to(user: User) -> QuerySet[TargetList]:
    """The call lists with residents assigned to the user to call."""
    return call_lists_visible_to(user).filter(targets__assigned_to=user).distinct()


def call_list_get_for_user(*, user: User, pk: int) -> TargetList:
    return get_object_or_404(call_lists_visible_to(user), pk=pk)


def call_list_get_for_manager(*, user: User, pk: int) -> TargetList:
    if not _plans_everything(user):
        raise Http404
    return get_object_or_404(TargetList.objects.select_related("campaign"), pk=pk, kind=TargetList.Kind.PHONE)


def call_list_summary(*, target_list: TargetList) -> dict[str, Any]:
    """How the call list is shared out: per caller, and how many are still unassigned."""
    per_caller = (
        target_list.targets.filter(assigned_to__isnull=False)
        .values("assigned_to", "assigned_to__username", "assigned_to__first_name", "assigned_to__last_name")
        .annotate(n=Count("id"))
        .order_by("assigned_to__last_name", "assigned_to__username")
    )
    return {
        "total": target_list.targets.count(),
        "unassigned": target_list.targets.filter(assigned_to__isnull=True).count(),
        "callers": [
            {
                "name": " ".join(p for p in (r["assigned_to__first_name"], r["assigned_to__last_name"]) if p)
                or r["assigned_to__username"],
                "n": r["n"],
            }
            for r in per_caller
        ],
    }


def callers_for(*, team: Team | None = None) -> QuerySet[User]:
    """Active users who may make calls (LOG_CONVERSATIONS), optionally one team's."""
    roles = _field_roles()
    qs = User.objects.filter(is_active=True).filter(Q(role__in=roles) | Q(is_superuser=True))
    if team is not None:
        qs = qs.filter(team=team)
    return qs.order_by("last_name", "first_name", "username")


def target_workable_by(*, user: User, target_id: int) -> Target | None:
    """A target the user may record an attempt on: a door of a turf they may walk, or a resident they call."""
    if not user.can(Capability.LOG_CONVERSATIONS):
        return None
    scope = Q(turf__in=turfs_visible_to(user), target_list__kind=TargetList.Kind.DOOR) | Q(
        assigned_to=user, target_list__kind=TargetList.Kind.PHONE
    )
    if _plans_everything(user):
        scope |= Q(target_list__kind=TargetList.Kind.PHONE)
    qs = Target.objects.select_related("target_list__campaign", "address", "resident__address")
    return qs.filter(scope, pk=target_id).first()


# ---- the offline app ----


def turfs_for_worker(user: User) -> QuerySet[Turf]:
    """Turfs assigned to the user, or to the user's team: the only ones they may take offline."""
    if not user.is_authenticated:
        return Turf.objects.none()
    scope = Q(assigned_to=user)
    if user.team_id:
        scope |= Q(assigned_team_id=user.team_id)
    return (
        Turf.objects.filter(scope, target_list__kind="door")
        .select_related("target_list__campaign")
        .order_by("target_list__campaign__name", "number")
    )


def turf_get_for_worker(*, user: User, pk: int) -> Turf:
    """Fetch and authorize: a turf that is not the worker's (or their team's) is a 404."""
    return get_object_or_404(turfs_for_worker(user), pk=pk)


def target_reportable_by(*, user: User, target_id: int) -> Target | None:
    """The door target a worker may report an attempt or conversation on, or None.

    A worker may report on a door of a turf assigned to them or their team — or of a turf they downloaded,
    even if it was reassigned while they were offline (the knock happened; losing it helps nobody).
    """
    target = (
        Target.objects.select_related("target_list__campaign", "turf", "address", "resident")
        .filter(pk=target_id, turf__isnull=False)
        .first()
    )
    if target is None or target.turf_id is None:
        return None
    if turfs_for_worker(user).filter(pk=target.turf_id).exists():
        return target
    downloaded = AuditEvent.objects.filter(
        actor=user,
        action=AuditEvent.Action.EXPORT,
        object_type="outreach.turf",
        object_id=str(target.turf_id),
    ).exists()
    return target if downloaded else None


# ---- the planning pages ----


def target_lists_with_counts() -> QuerySet[TargetList]:
    """Every target list with its number of targets and turfs (the planning index)."""
    return TargetList.objects.select_related("campaign").annotate(
        n_targets=Count("targets", distinct=True), n_turfs=Count("turfs", distinct=True)
    )


def target_list_get(*, pk: int) -> TargetList:
    return get_object_or_404(TargetList.objects.select_related("campaign", "created_by"), pk=pk)


def turf_get(*, pk: int) -> Turf:
    return get_object_or_404(Turf.objects.select_related("target_list"), pk=pk)


def target_list_turfs(*, target_list: TargetList) -> list[Turf]:
    return list(target_list.turfs.select_related("assigned_to", "assigned_team"))


def turf_map_features(
    *, target_list: TargetList, max_doors: int = MAP_MAX_DOORS
) -> tuple[list[dict[str, Any]], bool]:
    """GeoJSON features of the list's turf outlines and (up to `max_doors`, evenly sampled) door points, and
    whether the doors were sampled."""
    features = [
        {
            "type": "Feature",
            "geometry": t.outline,
            "properties": {"turf": t.number, "name": t.name, "doors": t.door_count},
        }
        for t in target_list.turfs.filter(outline__isnull=False)
    ]
    doors = (
        Target.objects.filter(target_list=target_list, turf__isnull=False, turf__outline__isnull=False)
        .exclude(Q(address__latitude__isnull=True) | Q(address__longitude__isnull=True))
        .values_list("turf__number", "address__longitude", "address__latitude")
    )
    step = max(1, doors.count() // max_doors)
    for i, (number, lon, lat) in enumerate(doors.order_by("pk").iterator()):
        if i % step == 0:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    "properties": {"turf": number},
                }
            )
    return features, step > 1


def campaign_for_conversation_form(*, target: Target | None, last_campaign_id: int | None) -> Campaign | None:
    """The campaign a conversation form opens with: the target's, else the one last used, else today's."""
    if target is not None:
        return target.target_list.campaign
    return Campaign.objects.filter(pk=last_campaign_id or 0).first() or campaign_current()
