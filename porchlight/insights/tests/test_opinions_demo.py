"""The demo's "Can We Talk?" statement set: built quickly, and its three planted opinion groups are found."""

import pytest

from porchlight.demo.build_dialogues import N_PARTICIPANTS, STATEMENTS, build_dialogues
from porchlight.demo.context import BuildContext
from porchlight.insights.models import StatementSet
from porchlight.testing.factories import CampaignFactory, ConversationFactory


@pytest.mark.django_db
def test_it_builds_the_dialogue_statements_and_finds_three_groups():
    campaign = CampaignFactory(name="Can We Talk? dialogues 2018")
    conversation = ConversationFactory(campaign=campaign)
    ctx = BuildContext(seed=2017, n_addresses=1, n_residents=1, n_conversations=1, say=lambda _m: None)
    build_dialogues(ctx)
    build_dialogues(ctx)  # a rebuild replaces the set instead of adding a second one
    statement_set = StatementSet.objects.get()
    assert statement_set.campaign == campaign
    assert statement_set.statements.count() == len(STATEMENTS)
    assert statement_set.participants.count() == N_PARTICIPANTS
    assert statement_set.participants.filter(resident=conversation.resident).exists()
    analysis = statement_set.analyses.get()
    assert analysis.n_groups == 3
    sizes = sorted(g["size"] for g in analysis.result["groups"])
    assert sizes[0] > 100  # three groups of about a third each, not one big group and stragglers
    agreed = {row["text"] for row in analysis.result["consensus"]["agree"]}
    assert "Young people need more places to go after school." in agreed
