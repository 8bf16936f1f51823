"""About 60 cases for the city's case managers, with plans (some steps overdue), notes, documents checklists
and linked referrals; then the automatic check-ins for the recent open referrals, via the real scheduler.

Runs after the conversations and referrals. Bulk inserts only, so it takes well under a second.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from porchlight.accounts.models import Team, User
from porchlight.accounts.roles import Role
from porchlight.cases.casework.followups import followups_schedule
from porchlight.cases.models import Case, CaseDocument, CaseNote, CaseStatusChange, Referral, Task
from porchlight.demo.context import BuildContext, timestamps_as_given

N_CASES = 60
FOR_DEMO_LOGIN = 14  # "casemanager" gets a full queue of their own
RECENT_DAYS = 90  # cases are opened for residents referred in the running campaign

TITLES = {
    "housing": [
        "Keep the household housed after an eviction notice",
        "Find stable housing",
        "Catch up on rent",
    ],
    "legal": ["Tenant rights: repairs the landlord refuses", "Eviction hearing preparation"],
    "employment": ["Get back to work after a layoff", "Job training and placement"],
    "health": ["Get the family health coverage", "Enrol in Medicaid"],
    "utilities": ["Keep the lights and water on", "Past-due utility bills"],
    "food": ["Regular groceries for the family", "Food assistance enrolment"],
    "safety": ["Safer home and street", "Follow up on a safety concern"],
    "other": ["Individual support plan"],
}
DOCUMENTS = {
    "housing": ["Photo ID", "Lease", "Eviction notice", "Proof of income (last 30 days)"],
    "legal": ["Photo ID", "Lease", "Court papers", "Photos of the repairs needed"],
    "employment": ["Photo ID", "Résumé", "Social Security card"],
    "health": ["Photo ID", "Proof of income (last 30 days)", "Proof of address"],
    "utilities": ["Photo ID", "Utility bill", "Proof of income (last 30 days)"],
    "food": ["Photo ID", "Proof of address"],
    "safety": ["Photo ID"],
    "other": ["Photo ID"],
}
STEPS = [
    "Call the resident to go over the plan",
    "Collect the missing documents",
    "Book an appointment with the program",
    "Help fill in the application",
    "Call the program to confirm intake",
    "Visit the resident at home",
    "Check that the payment went through",
    "Follow up on the decision",
]
NOTES = [
    "Met at home. The resident is worried but organised; has most papers in a folder.",
    "Left a voicemail; the resident prefers calls after 5pm.",
    "Program intake called back: the application is complete, decision in about ten days.",
    "Resident brought pay stubs and the lease to the office; scanned and returned.",
    "Landlord agreed to hold off while the assistance is processed.",
    "Resident asked for an interpreter at the next appointment.",
    "Talked through the budget; the resident will set up auto-pay once caught up.",
    "Second call with no answer. Will try a home visit next week.",
]
CLOSE_NOTES = [
    "Goals met: assistance received and the resident is stable.",
    "Resident moved out of the city; referred to the county office.",
    "Resident no longer wants help; can reopen at any time.",
]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _case_managers(ctx: BuildContext) -> tuple[User, list[User]]:
    """The demo "casemanager" login and the city's other case managers (partners run their own caseloads)."""
    partner_teams = {t.pk for t in ctx.teams.values() if t.kind == Team.Kind.PARTNER}
    city = [u for u in ctx.users if u.role == Role.CASE_MANAGER and u.team_id not in partner_teams]
    demo = next((u for u in city if u.username == "casemanager"), city[0])
    return demo, [u for u in city if u.pk != demo.pk] or [demo]


def build_cases(ctx: BuildContext) -> None:
    rng, today = ctx.rng, ctx.today
    since = _at(today - dt.timedelta(days=RECENT_DAYS), 0)
    referrals = list(
        Referral.objects.filter(case__isnull=True).select_related("program", "need").order_by("id")
    )
    by_resident: dict[int, list[Referral]] = {}
    for r in referrals:
        by_resident.setdefault(r.resident_id, []).append(r)
    # Residents referred in the running campaign first (their cases are live), then earlier ones (closed).
    recent = sorted({r.resident_id for r in referrals if r.created_at >= since})
    earlier = sorted(set(by_resident) - set(recent))
    rng.shuffle(recent)
    rng.shuffle(earlier)
    residents = recent + earlier
    recent_set = set(recent)
    demo_cm, others = _case_managers(ctx)

    cases, plans, linked = [], [], []
    for i, resident_id in enumerate(residents[:N_CASES]):
        owner = demo_cm if i < FOR_DEMO_LOGIN else rng.choice(others)
        live = resident_id in recent_set
        own = [r for r in by_resident[resident_id] if (r.created_at >= since) == live]
        refs = own[: rng.choice([1, 1, 2])]
        category = refs[0].need.category if refs[0].need_id else "other"
        opened = max(timezone.localdate(r.created_at) for r in refs) + dt.timedelta(days=rng.randint(0, 5))
        opened = min(opened, today)
        status = rng.choices(list(Case.Status), [70, 10, 20])[0] if live else Case.Status.CLOSED
        closed_on = min(today, opened + dt.timedelta(days=rng.randint(10, 40)))
        case = Case(
            resident_id=resident_id,
            title=rng.choice(TITLES.get(category, TITLES["other"])),
            owner=owner,
            team_id=owner.team_id,
            status=status,
            opened_by=owner,
            opened_at=_at(opened, rng.randint(9, 16)),
            closed_at=_at(closed_on, 17) if status == Case.Status.CLOSED else None,
            close_note=rng.choice(CLOSE_NOTES) if status == Case.Status.CLOSED else "",
        )
        cases.append(case)
        plans.append((case, category, opened, refs))
    with timestamps_as_given(Case, "opened_at"):
        Case.objects.bulk_create(cases)

    history, notes, documents, tasks = [], [], [], []
    for case, category, opened, refs in plans:
        linked += [(r.pk, case.pk) for r in refs]
        history.append(
            CaseStatusChange(
                case=case, status="open", changed_by=case.owner, note="Opened", changed_at=case.opened_at
            )
        )
        if case.status != Case.Status.OPEN:
            when = case.closed_at or _at(min(today, opened + dt.timedelta(days=7)), 12)
            history.append(
                CaseStatusChange(
                    case=case,
                    status=case.status,
                    changed_by=case.owner,
                    note=case.close_note or "Waiting for the resident to return.",
                    changed_at=when,
                )
            )
        for k, body in enumerate(rng.sample(NOTES, rng.randint(1, 3))):
            day = min(today, opened + dt.timedelta(days=2 + 4 * k))
            notes.append(CaseNote(case=case, author=case.owner, body=body, created_at=_at(day, 10 + k)))
        docs = list(dict.fromkeys([d for r in refs for d in r.program.documents] + DOCUMENTS[category]))
        for name in docs[: rng.randint(2, 4)]:
            got = rng.random() < 0.5 or case.status == Case.Status.CLOSED
            documents.append(CaseDocument(case=case, name=name, received_at=_at(opened, 15) if got else None))
        for k, title in enumerate(rng.sample(STEPS, rng.randint(2, 4))):
            # Spread steps from shortly after opening to three weeks ahead: the older ones are overdue.
            due = opened + dt.timedelta(days=3 + 7 * k + rng.randint(0, 4))
            done = case.status == Case.Status.CLOSED or (due < today and rng.random() < 0.75)
            tasks.append(
                Task(
                    case=case,
                    kind=Task.Kind.PLAN,
                    title=title,
                    assigned_to=case.owner,
                    due_on=due,
                    done_at=_at(min(due, today), 16) if done else None,
                    done_by=case.owner if done else None,
                    created_at=case.opened_at,
                )
            )
    with timestamps_as_given(CaseStatusChange, "changed_at"):
        CaseStatusChange.objects.bulk_create(history)
    with timestamps_as_given(CaseNote, "created_at"):
        CaseNote.objects.bulk_create(notes)
    CaseDocument.objects.bulk_create(documents)
    with timestamps_as_given(Task, "created_at"):
        Task.objects.bulk_create(tasks)
    for referral_id, case_id in linked:
        Referral.objects.filter(pk=referral_id).update(case_id=case_id)
    check_ins = followups_schedule(today=today, created_since=today - dt.timedelta(days=RECENT_DAYS))
    ctx.progress(
        f"{len(cases)} cases, {len(tasks)} plan steps, {len(notes)} case notes, {len(documents)} documents, "
        f"{check_ins} automatic check-ins"
    )
