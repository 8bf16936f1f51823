"""The codebook, coding-run, review and emergent-theme pages: permissions, edits, decisions, bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from porchlight.accounts.models import AuditEvent
from porchlight.insights.coding.services import text_items_sync
from porchlight.insights.models import CodingRun, EmergentTheme, TextItem, Theme, ThemeCode
from porchlight.outreach.models import Conversation
from porchlight.testing.factories import AreaFactory, CampaignFactory, ConversationFactory, ResidentFactory

pytestmark = pytest.mark.django_db

ALLOWED = ["analyst", "program_manager"]
FORBIDDEN = ["outreach_worker", "partner"]


@pytest.fixture
def campaign():
    return CampaignFactory()


@pytest.fixture
def themes(campaign):
    safety = Theme.objects.create(campaign=campaign, name="Safety", description="crime, police, lights")
    housing = Theme.objects.create(campaign=campaign, name="Housing", description="rent, eviction, repairs")
    return {"safety": safety, "housing": housing}


@pytest.fixture
def item(campaign, themes):
    resident = ResidentFactory(first_name="Marisol", last_name="Quintero")
    conversation = ConversationFactory(
        campaign=campaign,
        resident=resident,
        notes="Marisol Quintero says the street lights are out and she calls 704-555-0142 about it.",
    )
    text_items_sync(conversations=[conversation])
    item = TextItem.objects.get(conversation=conversation, field=TextItem.Field.NOTES)
    ThemeCode.objects.create(item=item, theme=themes["safety"], confidence=0.91)
    ThemeCode.objects.create(item=item, theme=themes["housing"], confidence=0.62)
    return item


def _urls(campaign, theme, emergent) -> list[str]:
    return [
        reverse("insights:codebook", args=[campaign.pk]),
        reverse("insights:theme_create", args=[campaign.pk]),
        reverse("insights:theme_edit", args=[campaign.pk, theme.pk]),
        reverse("insights:coding_progress", args=[campaign.pk]),
        reverse("insights:notes_review", args=[campaign.pk]),
        reverse("insights:emergent", args=[campaign.pk]),
        reverse("insights:emergent_promote", args=[campaign.pk, emergent.pk]),
    ]


@pytest.fixture
def emergent(campaign, item):
    candidate = EmergentTheme.objects.create(
        campaign=campaign, label="bus stop shelter", keywords=["bus", "shelter"], size=1,
        quotes=["The bus stop needs a shelter."],
    )
    candidate.items.add(item)
    return candidate


@pytest.mark.parametrize("role", ALLOWED)
def test_it_shows_every_page_to_analysts_and_managers(client, personas, role, campaign, themes, emergent):
    client.force_login(personas[role])
    for url in _urls(campaign, themes["safety"], emergent):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", FORBIDDEN)
def test_it_forbids_workers_and_partners(client, personas, role, campaign, themes, item, emergent):
    client.force_login(personas[role])
    for url in _urls(campaign, themes["safety"], emergent):
        assert client.get(url).status_code == 403, url
    code = item.codes.first()
    posts = [
        (reverse("insights:codebook_seed", args=[campaign.pk]), {}),
        (reverse("insights:theme_create", args=[campaign.pk]), {"name": "Parks"}),
        (reverse("insights:coding_run_start", args=[campaign.pk]), {}),
        (reverse("insights:code_decide", args=[campaign.pk, code.pk]), {"decision": "rejected"}),
        (reverse("insights:code_add", args=[campaign.pk, item.pk]), {"theme": themes["housing"].pk}),
        (reverse("insights:emergent_find", args=[campaign.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert not Theme.objects.filter(name="Parks").exists()
    assert code.__class__.objects.get(pk=code.pk).decision == ""


def test_it_asks_anonymous_visitors_to_sign_in(client, campaign):
    response = client.get(reverse("insights:codebook", args=[campaign.pk]))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_it_answers_404_for_a_theme_or_code_of_another_campaign(client, personas, campaign, themes, item):
    other = CampaignFactory()
    client.force_login(personas["analyst"])
    assert client.get(reverse("insights:theme_edit", args=[other.pk, themes["safety"].pk])).status_code == 404
    assert client.get(reverse("insights:codebook", args=[999999])).status_code == 404
    code = item.codes.first()
    url = reverse("insights:code_decide", args=[other.pk, code.pk])
    assert client.post(url, {"decision": "rejected"}).status_code == 404
    assert ThemeCode.objects.get(pk=code.pk).decision == ""


def test_it_lists_themes_with_counts_and_sub_themes(client, personas, campaign, themes, item):
    Theme.objects.create(campaign=campaign, name="Street lights", parent=themes["safety"])
    client.force_login(personas["analyst"])
    response = client.get(reverse("insights:codebook", args=[campaign.pk]))
    rows = response.context["rows"]
    assert [r["theme"].name for r in rows] == ["Housing", "Safety", "Street lights"]
    # Safety's code is above the threshold; Housing's 0.62 is too, so both count once.
    assert {r["theme"].name: r["coded"] for r in rows} == {"Housing": 1, "Safety": 1, "Street lights": 0}


def test_it_seeds_the_codebook_from_topics_once(client, personas, campaign):
    client.force_login(personas["analyst"])
    url = reverse("insights:codebook_seed", args=[campaign.pk])
    client.post(url)
    assert Theme.objects.filter(campaign=campaign).count() == campaign.topics.count() == 5
    response = client.post(url, follow=True)
    assert Theme.objects.filter(campaign=campaign).count() == 5
    assert "already has themes" in response.content.decode()


def test_it_adds_a_sub_theme(client, personas, campaign, themes):
    client.force_login(personas["program_manager"])
    response = client.post(
        reverse("insights:theme_create", args=[campaign.pk]),
        {"name": "Street lights", "name_es": "Alumbrado", "description": "dark streets",
         "description_es": "calles oscuras", "parent": themes["safety"].pk},
    )
    assert response.status_code == 302
    theme = Theme.objects.get(campaign=campaign, name="Street lights")
    assert theme.parent == themes["safety"] and theme.name_es == "Alumbrado"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"name": "safety"}, "name", "already has a theme called safety"),
        ({"name": "x" * 101}, "name", "at most 100 characters"),
    ],
)
def test_it_refuses_a_bad_theme_and_saves_nothing(client, personas, campaign, themes, data, field, message):
    client.force_login(personas["analyst"])
    response = client.post(reverse("insights:theme_create", args=[campaign.pk]), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Theme.objects.filter(campaign=campaign).count() == 2


def test_it_refuses_a_sub_theme_as_parent(client, personas, campaign, themes):
    lights = Theme.objects.create(campaign=campaign, name="Street lights", parent=themes["safety"])
    client.force_login(personas["analyst"])
    response = client.post(
        reverse("insights:theme_create", args=[campaign.pk]), {"name": "Bulbs", "parent": lights.pk}
    )
    assert response.status_code == 200 and "parent" in response.context["form"].errors
    # A theme with sub-themes cannot become a sub-theme itself.
    response = client.post(
        reverse("insights:theme_edit", args=[campaign.pk, themes["safety"].pk]),
        {"name": "Safety", "parent": themes["housing"].pk},
    )
    assert "sub-themes" in " ".join(response.context["form"].errors["parent"])
    assert Theme.objects.get(pk=themes["safety"].pk).parent_id is None
    assert not Theme.objects.filter(name="Bulbs").exists()


def test_it_edits_a_theme(client, personas, campaign, themes):
    client.force_login(personas["analyst"])
    response = client.post(
        reverse("insights:theme_edit", args=[campaign.pk, themes["housing"].pk]),
        {"name": "Affordable housing", "description": "rent is too high", "description_es": "la renta"},
    )
    assert response.status_code == 302
    themes["housing"].refresh_from_db()
    assert themes["housing"].name == "Affordable housing"
    assert themes["housing"].description_es == "la renta"


def test_it_deactivates_a_theme_with_its_sub_themes_and_brings_it_back(client, personas, campaign, themes):
    lights = Theme.objects.create(campaign=campaign, name="Street lights", parent=themes["safety"])
    client.force_login(personas["analyst"])
    url = reverse("insights:theme_set_active", args=[campaign.pk, themes["safety"].pk])
    client.post(url, {"active": "0"})
    lights.refresh_from_db()
    assert not Theme.objects.get(pk=themes["safety"].pk).is_active and not lights.is_active
    # A sub-theme cannot come back before its main theme.
    response = client.post(
        reverse("insights:theme_set_active", args=[campaign.pk, lights.pk]), {"active": "1"}, follow=True
    )
    assert "Reactivate Safety first" in response.content.decode()
    assert not Theme.objects.get(pk=lights.pk).is_active
    client.post(url, {"active": "1"})
    assert Theme.objects.get(pk=themes["safety"].pk).is_active


def test_it_adds_an_example_found_by_searching_scrubbed_text(client, personas, campaign, themes, item):
    client.force_login(personas["analyst"])
    edit = reverse("insights:theme_edit", args=[campaign.pk, themes["housing"].pk])
    response = client.get(edit, {"q": "street lights"})
    assert [i.pk for i in response.context["found"]] == [item.pk]
    # Searching for a resident's name finds nothing: only the scrubbed text is searched.
    assert list(client.get(edit, {"q": "Quintero"}).context["found"]) == []
    client.post(reverse("insights:theme_example_add", args=[campaign.pk, themes["housing"].pk]),
                {"item": item.pk})
    code = ThemeCode.objects.get(item=item, theme=themes["housing"])
    assert code.source == ThemeCode.Source.ANALYST and code.decided_by == personas["analyst"]


def test_it_starts_a_coding_run_and_shows_progress(client, personas, campaign, themes, item,
                                                   django_capture_on_commit_callbacks):
    client.force_login(personas["analyst"])
    with django_capture_on_commit_callbacks(execute=True):
        url = reverse("insights:coding_run_start", args=[campaign.pk])
        response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    run = CodingRun.objects.get(campaign=campaign)
    assert run.status == CodingRun.Status.DONE and run.done == run.total == 1
    progress = client.get(reverse("insights:coding_progress", args=[campaign.pk])).content.decode()
    assert "1 of 1 notes coded in this run" in progress
    assert "hx-trigger" not in progress  # done: no more polling


def test_it_polls_while_a_run_is_under_way_and_refuses_a_second(client, personas, campaign, themes):
    CodingRun.objects.create(campaign=campaign, status=CodingRun.Status.RUNNING, total=10, done=4)
    client.force_login(personas["analyst"])
    progress = client.get(reverse("insights:coding_progress", args=[campaign.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in progress and "4 of 10" in progress
    response = client.post(reverse("insights:coding_run_start", args=[campaign.pk]), follow=True)
    assert "already under way" in response.content.decode()
    assert CodingRun.objects.filter(campaign=campaign).count() == 1


def test_it_refuses_to_code_with_an_empty_codebook(client, personas, campaign):
    client.force_login(personas["analyst"])
    response = client.post(reverse("insights:coding_run_start", args=[campaign.pk]), follow=True)
    assert "Add themes to the codebook" in response.content.decode()
    assert not CodingRun.objects.exists()


def test_it_shows_scrubbed_notes_without_names_and_audits_the_view(client, personas, campaign, themes, item):
    client.force_login(personas["analyst"])
    response = client.get(reverse("insights:notes_review", args=[campaign.pk]))
    body = response.content.decode()
    assert "street lights are out" in body
    assert "Marisol" not in body and "Quintero" not in body and "0142" not in body
    assert AuditEvent.objects.filter(actor=personas["analyst"], action="view",
                                     object_type="insights.coded_notes").count() == 1


def test_it_filters_notes_the_way_the_report_links_to_them(client, personas, campaign, themes, item):
    other = ConversationFactory(campaign=campaign, notes="Subió la renta.", language="es", channel="phone")
    text_items_sync(conversations=[other])
    client.force_login(personas["analyst"])
    url = reverse("insights:notes_review", args=[campaign.pk])

    def shown(**params: object) -> set[int]:
        return {i.pk for i in client.get(url, params).context["page"].object_list}

    rent = TextItem.objects.get(conversation=other).pk
    assert shown() == {item.pk, rent}
    assert shown(theme=themes["safety"].pk) == {item.pk}
    assert shown(language="es") == {rent}
    assert shown(channel="phone") == {rent}
    assert shown(uncoded=1) == {rent}
    area = AreaFactory()
    Conversation.objects.filter(pk=item.conversation_id).update(area=area)
    assert shown(area=area.pk) == {item.pk}
    # A rejected code no longer puts the note behind the theme's figure.
    ThemeCode.objects.filter(item=item, theme=themes["safety"]).update(decision="rejected")
    assert shown(theme=themes["safety"].pk) == set()


def test_it_reports_bad_filters_instead_of_failing(client, personas, campaign, themes):
    client.force_login(personas["analyst"])
    response = client.get(reverse("insights:notes_review", args=[campaign.pk]), {"theme": "abc"})
    assert response.status_code == 200 and response.context["page"] is None
    assert "Please correct the filters" in response.content.decode()


def test_it_accepts_rejects_and_undoes_a_code_with_htmx(client, personas, campaign, themes, item):
    client.force_login(personas["analyst"])
    code = ThemeCode.objects.get(item=item, theme=themes["housing"])
    url = reverse("insights:code_decide", args=[campaign.pk, code.pk])
    response = client.post(url, {"decision": "rejected"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and f'id="note-{item.pk}"' in response.content.decode()
    code.refresh_from_db()
    assert code.decision == "rejected" and code.decided_by == personas["analyst"]
    client.post(url, {"decision": ""}, HTTP_HX_REQUEST="true")
    code.refresh_from_db()
    assert code.decision == "" and code.decided_by is None
    client.post(url, {"decision": "accepted"})
    assert ThemeCode.objects.get(pk=code.pk).decision == "accepted"


def test_it_refuses_an_unknown_decision(client, personas, campaign, themes, item):
    client.force_login(personas["analyst"])
    code = ThemeCode.objects.get(item=item, theme=themes["housing"])
    response = client.post(reverse("insights:code_decide", args=[campaign.pk, code.pk]),
                           {"decision": "maybe"}, HTTP_HX_REQUEST="true")
    assert "Unknown decision" in response.content.decode()
    assert ThemeCode.objects.get(pk=code.pk).decision == ""


def test_it_returns_to_the_filtered_page_without_javascript(client, personas, campaign, themes, item):
    client.force_login(personas["analyst"])
    code = ThemeCode.objects.get(item=item, theme=themes["safety"])
    back = reverse("insights:notes_review", args=[campaign.pk]) + "?theme=1&page=2"
    response = client.post(reverse("insights:code_decide", args=[campaign.pk, code.pk]),
                           {"decision": "accepted", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    response = client.post(reverse("insights:code_decide", args=[campaign.pk, code.pk]),
                           {"decision": "accepted", "next": "https://evil.example/"})
    assert response["Location"] == reverse("insights:notes_review", args=[campaign.pk])


def test_it_adds_a_theme_to_a_note_and_decisions_survive_a_rerun(client, personas, campaign, themes, item):
    parks = Theme.objects.create(campaign=campaign, name="Parks", description="parks, playgrounds")
    client.force_login(personas["analyst"])
    client.post(reverse("insights:code_add", args=[campaign.pk, item.pk]), {"theme": parks.pk},
                HTTP_HX_REQUEST="true")
    housing = ThemeCode.objects.get(item=item, theme=themes["housing"])
    client.post(reverse("insights:code_decide", args=[campaign.pk, housing.pk]), {"decision": "rejected"})
    from porchlight.insights.coding.services import code_items

    code_items(items=TextItem.objects.filter(pk=item.pk))
    added = ThemeCode.objects.get(item=item, theme=parks)
    assert added.source == ThemeCode.Source.ANALYST
    assert ThemeCode.objects.get(item=item, theme=themes["housing"]).decision == "rejected"


def test_it_refuses_adding_an_inactive_or_missing_theme(client, personas, campaign, themes, item):
    old = Theme.objects.create(campaign=campaign, name="Old", is_active=False)
    client.force_login(personas["analyst"])
    url = reverse("insights:code_add", args=[campaign.pk, item.pk])
    for data in ({"theme": old.pk}, {"theme": ""}, {}):
        response = client.post(url, data, HTTP_HX_REQUEST="true")
        assert "Choose a theme to add" in response.content.decode()
    assert not ThemeCode.objects.filter(item=item, theme=old).exists()
    other_theme = Theme.objects.create(campaign=CampaignFactory(), name="Elsewhere")
    client.post(url, {"theme": other_theme.pk})
    assert not ThemeCode.objects.filter(theme=other_theme).exists()


def test_it_promotes_an_emergent_theme(client, personas, campaign, themes, item, emergent):
    client.force_login(personas["analyst"])
    url = reverse("insights:emergent_promote", args=[campaign.pk, emergent.pk])
    form = client.get(url).context["form"]
    assert form.initial["name"] == "bus stop shelter"
    response = client.post(url, {"name": "Bus stops", "description": "bus shelters and benches"})
    assert response.status_code == 302
    theme = Theme.objects.get(campaign=campaign, name="Bus stops")
    emergent.refresh_from_db()
    assert emergent.promoted_to == theme
    assert ThemeCode.objects.get(item=item, theme=theme).source == ThemeCode.Source.ANALYST
    # Promoted once only.
    assert client.get(url).status_code == 302


def test_it_refuses_to_promote_under_a_taken_name(client, personas, campaign, themes, emergent):
    client.force_login(personas["analyst"])
    url = reverse("insights:emergent_promote", args=[campaign.pk, emergent.pk])
    response = client.post(url, {"name": "safety", "description": ""})
    assert "already has a theme called safety" in " ".join(response.context["form"].errors["name"])
    response = client.post(url, {"name": "  ", "description": ""})
    assert "name" in response.context["form"].errors
    assert Theme.objects.filter(campaign=campaign).count() == 2
    assert EmergentTheme.objects.get(pk=emergent.pk).promoted_to is None


def test_it_lists_candidates_and_finds_new_ones(client, personas, campaign, themes, emergent):
    client.force_login(personas["analyst"])
    response = client.get(reverse("insights:emergent", args=[campaign.pk]))
    assert "The bus stop needs a shelter." in response.content.decode()
    response = client.post(reverse("insights:emergent_find", args=[campaign.pk]), follow=True)
    assert response.status_code == 200
