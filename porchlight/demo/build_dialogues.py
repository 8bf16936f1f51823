"""The demo's "Can We Talk?" statement set: statements residents voted on after the dialogues, with votes.

Votes are synthetic, drawn from three latent opinion groups (so the opinion-group analysis has something to
find): residents who want more and friendlier policing, residents who want reform and oversight first, and
residents whose first concern is their own block (lights, traffic, youth programs). A few statements have
every group agreeing, as real dialogues do.
"""

from __future__ import annotations

import numpy as np

from porchlight.demo.context import BuildContext
from porchlight.insights.models import Participant, Statement, StatementSet, Vote
from porchlight.insights.opinions.services import opinion_groups_compute
from porchlight.insights.opinions.synthetic import latent_group_votes
from porchlight.outreach.models import Campaign, Conversation

SOURCE = "demo:can-we-talk"
N_PARTICIPANTS = 400
# (statement, stance of the "more policing", "reform first" and "my block first" groups: 1 / -1 / 0)
STATEMENTS: list[tuple[str, tuple[int, int, int]]] = [
    ("Officers should walk or bike the beat in my neighborhood, not just drive through.", (1, 1, 1)),
    ("I would call the police if I saw something wrong on my street.", (1, -1, 1)),
    ("CMPD treats people in my neighborhood with respect.", (1, -1, 0)),
    ("The Citizens Review Board should be able to subpoena witnesses.", (-1, 1, 0)),
    ("Body camera footage should be released to the public within 30 days.", (0, 1, 1)),
    ("We need more officers, not fewer.", (1, -1, 0)),
    ("Some 911 calls should go to social workers or mental health teams instead of police.", (-1, 1, 1)),
    ("Street lights on my block are out too often.", (0, 0, 1)),
    ("Speeding cars are the biggest safety problem on my street.", (0, -1, 1)),
    ("Young people need more places to go after school.", (1, 1, 1)),
    ("Officers should live in the city they police.", (-1, 1, 0)),
    ("The city should publish every use-of-force report.", (-1, 1, 0)),
    ("Stop-and-frisk makes my neighborhood safer.", (1, -1, -1)),
    ("I know the name of an officer who works my area.", (1, -1, 0)),
    ("Community meetings with police change nothing.", (-1, 1, -1)),
    ("Landlords should be held responsible for problem properties.", (1, 0, 1)),
    ("The dialogues helped me understand how officers see their job.", (1, 0, 1)),
    ("Police should not be the ones enforcing homeless encampment rules.", (-1, 1, 0)),
    ("Neighborhood watch groups do more for safety than patrols.", (-1, 0, 1)),
    ("The city should spend more on police training in de-escalation.", (1, 1, 1)),
    ("Los agentes deberían hablar español en los barrios donde se habla español.", (0, 1, 1)),
    ("Tengo miedo de llamar a la policía por mi estatus migratorio.", (-1, 1, 0)),
    ("Necesitamos más iluminación en los parques por la noche.", (0, 0, 1)),
    ("La policía llega rápido cuando la llamamos.", (1, -1, -1)),
    ("Más programas de empleo para jóvenes reducirían el crimen.", (0, 1, 1)),
]


def build_dialogues(ctx: BuildContext) -> None:
    """One statement set for the dialogue campaign, voted on by ~400 of its participants, then grouped."""
    campaign = Campaign.objects.filter(name__startswith="Can We Talk?").first()
    StatementSet.objects.filter(source=SOURCE).delete()  # a rebuild replaces it
    statement_set = StatementSet.objects.create(
        name="Can We Talk? statements", campaign=campaign, source=SOURCE
    )
    statements = Statement.objects.bulk_create(
        Statement(statement_set=statement_set, external_id=str(n + 1), text=text)
        for n, (text, _stance) in enumerate(STATEMENTS)
    )
    # Link participants to the residents who came to a dialogue, where there are enough of them.
    residents = []
    if campaign is not None:
        residents = list(
            Conversation.objects.filter(campaign=campaign, resident__isnull=False)
            .order_by("resident_id").values_list("resident_id", flat=True).distinct()[:N_PARTICIPANTS]
        )
    participants = Participant.objects.bulk_create(
        Participant(
            statement_set=statement_set,
            external_id=f"p{i + 1}",
            resident_id=residents[i] if i < len(residents) else None,
        )
        for i in range(N_PARTICIPANTS)
    )
    stances = np.array([stance for _text, stance in STATEMENTS]).T
    matrix, _truth = latent_group_votes(
        n_participants=N_PARTICIPANTS, n_statements=len(STATEMENTS), n_groups=3, seed=ctx.seed,
        stances=stances, seen=0.75, noise=0.15,
    )
    Vote.objects.bulk_create(
        (
            Vote(statement=statements[j], participant=participants[i], value=int(matrix[i, j]))
            for i, j in zip(*np.nonzero(~np.isnan(matrix)), strict=True)
        ),
        batch_size=5000,
    )
    analysis = opinion_groups_compute(statement_set=statement_set)
    ctx.progress(
        f"Dialogue statements: {len(statements)} statements, {N_PARTICIPANTS} participants, "
        f"{analysis.n_groups} opinion groups"
    )
