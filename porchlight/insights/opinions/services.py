"""Writes for opinion groups: importing statement sets with their votes, recording a vote, computing groups.

Imports validate everything first (every row error is reported at once) and write all or nothing.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from porchlight.accounts.models import User
from porchlight.accounts.services import audit_record
from porchlight.insights.models import OpinionAnalysis, Participant, Statement, StatementSet, Vote
from porchlight.insights.opinions import analysis
from porchlight.insights.opinions.parsing import ParsedVotes
from porchlight.outreach.models import Campaign

BATCH = 5000
POLIS_SOURCE_PREFIX = "polis:"


@transaction.atomic
def statement_set_import(
    *,
    parsed: ParsedVotes,
    name: str,
    campaign: Campaign | None = None,
    source: str = "",
    actor: User | None = None,
) -> StatementSet:
    """Write a parsed file set as a new statement set, or raise ValidationError listing every row error."""
    name = (name or "").strip()
    errors = list(parsed.errors)
    if not name:
        errors.insert(0, _("Give the statement set a name."))
    if not parsed.statements and not errors:
        errors.append(_("There are no statements."))
    if errors:
        raise ValidationError(errors)
    if parsed.is_polis and not source.startswith(POLIS_SOURCE_PREFIX):
        # The page shows Pol.is's attribution for sets whose source says they came from Pol.is.
        source = POLIS_SOURCE_PREFIX + source
    statement_set = StatementSet.objects.create(name=name[:200], campaign=campaign, source=source[:200])
    statements = Statement.objects.bulk_create(
        [
            Statement(statement_set=statement_set, external_id=sid, text=text, moderated_out=moderated)
            for sid, (text, moderated) in parsed.statements.items()
        ],
        batch_size=BATCH,
    )
    participants = Participant.objects.bulk_create(
        [
            Participant(statement_set=statement_set, external_id=pid, source_group=group)
            for pid, group in parsed.participants.items()
        ],
        batch_size=BATCH,
    )
    statement_pk = {s.external_id: s.pk for s in statements}
    participant_pk = {p.external_id: p.pk for p in participants}
    if statements and statements[0].pk is None or participants and participants[0].pk is None:
        # Backends that do not return ids from bulk_create (none we support today): look them up.
        statement_pk = dict(statement_set.statements.values_list("external_id", "pk"))
        participant_pk = dict(statement_set.participants.values_list("external_id", "pk"))
    Vote.objects.bulk_create(
        [
            Vote(statement_id=statement_pk[sid], participant_id=participant_pk[pid], value=value)
            for (pid, sid), value in parsed.votes.items()
        ],
        batch_size=BATCH,
    )
    audit_record(
        actor=actor,
        action="import",
        obj=statement_set,
        detail=(
            f"{'Pol.is export' if parsed.is_polis else 'CSV'}: {len(parsed.statements)} statements, "
            f"{len(parsed.participants)} participants, {len(parsed.votes)} votes"
        ),
    )
    return statement_set


@transaction.atomic
def vote_record(*, statement: Statement, participant: Participant, value: int) -> Vote:
    """Record (or change) one participant's vote on a statement; recording the same vote twice is harmless."""
    if value not in (-1, 0, 1):
        raise ValidationError(_("A vote is agree (1), disagree (-1) or pass (0)."))
    if statement.statement_set_id != participant.statement_set_id:
        raise ValidationError(_("The participant and the statement belong to different statement sets."))
    if statement.moderated_out:
        raise ValidationError(_("This statement was moderated out and takes no votes."))
    vote, _created = Vote.objects.update_or_create(
        statement=statement, participant=participant, defaults={"value": value}
    )
    return vote


def vote_matrix(statement_set: StatementSet) -> tuple[np.ndarray, list[Participant], list[Statement]]:
    """Participants x statements (1 / -1 / 0, NaN where not voted), with the rows' and columns' objects."""
    statements = list(statement_set.statements.order_by("pk"))
    participants = list(statement_set.participants.order_by("pk"))
    col = {s.pk: j for j, s in enumerate(statements)}
    row = {p.pk: i for i, p in enumerate(participants)}
    matrix = np.full((len(participants), len(statements)), np.nan)
    votes = Vote.objects.filter(statement__statement_set=statement_set).values_list(
        "participant_id", "statement_id", "value"
    )
    for participant_id, statement_id, value in votes.iterator(chunk_size=BATCH):
        matrix[row[participant_id], col[statement_id]] = value
    return matrix, participants, statements


@transaction.atomic
def opinion_groups_compute(*, statement_set: StatementSet) -> OpinionAnalysis:
    """Find opinion groups, their representative statements and the consensus; keep them as an analysis."""
    matrix, participants, statements = vote_matrix(statement_set)
    moderated = np.array([s.moderated_out for s in statements], dtype=bool)
    active = int((~moderated).sum())
    needed = analysis.min_votes_for(active) if active else analysis.MIN_VOTES
    enough = int(((~np.isnan(matrix[:, ~moderated])).sum(axis=1) >= needed).sum()) if active else 0
    if active < 2 or enough < 4:
        raise ValidationError(
            _(
                "Not enough votes to find opinion groups: at least 4 participants must each vote on "
                "%(n)s statements (now %(enough)s do)."
            )
            % {"n": needed, "enough": enough}
        )
    result = analysis.analyse(matrix, moderated_out=moderated)

    def statement_row(row: dict[str, Any]) -> dict[str, Any]:
        statement = statements[row.pop("column")]
        return {"statement_id": statement.pk, "external_id": statement.external_id, "text": statement.text,
                **row}

    sizes = np.bincount(result.labels[result.labels >= 0], minlength=result.k)
    groups = [
        {
            "id": g,
            "size": int(sizes[g]),
            "representative": [statement_row(r) for r in result.repness.get(g, [])],
        }
        for g in range(result.k)
    ]
    members = {
        str(p.pk): int(label) for p, label in zip(participants, result.labels, strict=True) if label >= 0
    }
    points = [
        [p.pk, round(float(x), 4), round(float(y), 4), int(label)]
        for p, (x, y), label in zip(participants, result.points, result.labels, strict=True)
    ]
    payload = {
        "groups": groups,
        "consensus": {d: [statement_row(r) for r in rows] for d, rows in result.consensus.items()},
        "members": members,
        "points": points,
        "silhouette": round(result.silhouette, 4),
        "n_statements": len(statements),
        "n_votes": int((~np.isnan(matrix)).sum()),
        "min_votes": needed,
    }
    return OpinionAnalysis.objects.create(
        statement_set=statement_set,
        n_participants=int(result.clustered.sum()),
        n_groups=result.k,
        result=payload,
    )
