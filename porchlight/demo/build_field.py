"""Field outreach for the running campaign: scripts, a door list cut into turfs (two of them the demo
ambassador's, with a few doors already knocked and a call-back due today) and a call list.

Built through the same services a program manager uses, so the demo shows exactly what they produce.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from porchlight.accounts.models import User
from porchlight.accounts.roles import Role
from porchlight.demo.context import BuildContext
from porchlight.outreach.field.services import attempt_record, call_assign_next, scripts_save
from porchlight.outreach.field.targets import target_list_build
from porchlight.outreach.field.turfs import turf_assign, turf_cut, turfs_auto_assign
from porchlight.outreach.models import Campaign, Outcome
from porchlight.places.models import Area

SCRIPTS = {
    "en": (
        "Hi, my name is ___ and I'm with the City of Charlotte. Two years ago neighbors told us what "
        "matters most here: safety, trust, affordable housing and jobs. We're back to tell you what the city "
        "did and to listen. Do you have ten minutes? What one thing would make this neighborhood better?"
    ),
    "es": (
        "Hola, me llamo ___ y trabajo con la Ciudad de Charlotte. Hace dos años los vecinos nos dijeron lo "
        "que más importa aquí: seguridad, confianza, vivienda asequible y empleo. Volvimos para contarle lo "
        "que hizo la ciudad y para escucharle. ¿Tiene diez minutos? ¿Qué mejoraría más este vecindario?"
    ),
}
TURF_SIZE = 40
AREAS_IN_LIST = 3


def build_field(ctx: BuildContext) -> None:
    campaign = Campaign.objects.get(name="Neighborhood check-ins")
    manager = User.objects.get(username="manager")
    ambassador = User.objects.get(username="ambassador")
    scripts_save(campaign=campaign, bodies=SCRIPTS)

    # The neighborhoods with the most doors on file: a realistic first night of canvassing.
    areas = list(
        Area.objects.filter(kind=Area.Kind.NEIGHBORHOOD)
        .annotate(doors=Count("addresses"))
        .order_by("-doors", "code")[:AREAS_IN_LIST]
    )
    doors = target_list_build(
        campaign=campaign,
        name="Check-ins: first three neighborhoods",
        kind="door",
        actor=manager,
        areas=areas,
    )
    turf_cut(target_list=doors, size=TURF_SIZE, actor=manager)
    turfs = list(doors.turfs.order_by("number"))
    workers = User.objects.filter(role=Role.OUTREACH_WORKER, is_active=True).exclude(pk=ambassador.pk)
    turfs_auto_assign(target_list=doors, actor=manager, workers=list(workers.order_by("pk")[:8]))
    for turf in turfs[:2]:
        turf_assign(turf=turf, actor=manager, user=ambassador)

    # Last evening's work on the ambassador's first turf: a few doors knocked, one asking to come back today.
    now = timezone.now()
    evening = now - dt.timedelta(days=1, hours=2)
    outcomes = [Outcome.NOT_HOME, Outcome.NOT_HOME, Outcome.REFUSED, Outcome.CALL_BACK, Outcome.NOT_HOME]
    for i, (target, outcome) in enumerate(zip(turfs[0].targets.order_by("sequence"), outcomes, strict=False)):
        attempt_record(
            actor=ambassador,
            client_id=ctx.uuid4(),
            campaign=campaign,
            channel="door",
            outcome=outcome,
            made_at=evening + dt.timedelta(minutes=6 * i),
            target=target,
            callback_at=now.replace(hour=18, minute=0, second=0, microsecond=0)
            if outcome == Outcome.CALL_BACK
            else None,
        )

    calls = target_list_build(
        campaign=campaign, name="Check-ins: call-backs", kind="phone", actor=manager, areas=areas
    )
    call_assign_next(target_list=calls, caller=ambassador, count=25)
    ctx.progress(
        f"field outreach: {doors.targets.count()} doors in {len(turfs)} turfs, "
        f"{calls.targets.count()} residents to call"
    )
