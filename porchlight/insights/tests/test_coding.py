"""Theme coding: the coder, language detection, coding runs, analysts' corrections and the background hook."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from porchlight.insights.coding import services
from porchlight.insights.coding.coder import Example, ThemeCoder, ThemeSpec, get_coder
from porchlight.insights.coding.features import make_featurizer
from porchlight.insights.coding.lang import detect_language
from porchlight.insights.coding.selectors import coding_progress, effective_codes
from porchlight.insights.models import CodingRun, TextItem, Theme, ThemeCode
from porchlight.insights.tests.factories_coding import NOTES, THEMES, coding_campaign, conversation
from porchlight.outreach.services import conversation_log

pytestmark = pytest.mark.django_db


def _specs() -> list[ThemeSpec]:
    return [ThemeSpec(i + 1, *theme) for i, theme in enumerate(THEMES)]


def _names(codes: list[tuple[int, float]]) -> set[str]:
    return {THEMES[theme_id - 1][0] for theme_id, _ in codes}


def _run_all(campaign, django_capture_on_commit_callbacks) -> CodingRun:
    with django_capture_on_commit_callbacks(execute=True):
        run = services.coding_run_start(campaign=campaign)
    run.refresh_from_db()
    return run


def _theme(campaign, name: str) -> Theme:
    return Theme.objects.get(campaign=campaign, name=name)


# --- The coder ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Our rent doubled and the landlord wants us out of the apartment.", "Affordable housing"),
        ("He needs a better paying job, the wages at the warehouse are too low.", "Good-paying jobs"),
        ("There was a shooting on our street and I am afraid to walk at night.", "Community safety"),
        ("El alquiler es demasiado caro y el dueño no arregla nada en la casa.", "Affordable housing"),
        ("Necesito un empleo con mejor salario para mi familia.", "Good-paying jobs"),
        ("Hay mucha violencia y robos en la calle, no me siento seguro.", "Community safety"),
    ],
)
def test_it_codes_obvious_notes_to_the_right_theme_zero_shot_in_english_and_spanish(text, expected):
    coder = ThemeCoder.build(themes=_specs(), corpus=[n for _, n in NOTES])
    codes = coder.predict([text], [""])[0]
    assert codes, f"no theme for {text!r}"
    assert _names(codes[:1]) == {expected}
    assert all(0.5 <= confidence <= 1 for _, confidence in codes)


def test_it_codes_spanish_notes_even_when_the_codebook_is_only_in_english():
    specs = [ThemeSpec(i + 1, name, description) for i, (name, description, _, _) in enumerate(THEMES)]
    coder = ThemeCoder.build(themes=specs, corpus=[n for _, n in NOTES])
    codes = coder.predict(["Los desalojos y el alquiler tan alto nos sacan del barrio."], ["es"])[0]
    assert _names(codes[:1]) == {"Affordable housing"}


def test_it_leaves_a_note_about_nothing_in_the_codebook_uncoded():
    coder = ThemeCoder.build(themes=_specs(), corpus=[n for _, n in NOTES])
    assert coder.predict(["Loved the gospel choir at the church picnic."], ["en"]) == [[]]


def test_examples_teach_the_coder_a_case_zero_shot_gets_wrong():
    specs = _specs() + [ThemeSpec(6, "Noise", "Loud noise that keeps people up.")]
    corpus = [n for _, n in NOTES]
    note = "Those dirt bikes revving up and down Tuckaseegee again last night."
    zero_shot = ThemeCoder.build(themes=specs, corpus=corpus)
    assert 6 not in dict(zero_shot.predict([note])[0])
    examples = [
        Example("Dirt bikes racing on our street every evening.", positives={6}),
        Example("Kids on dirt bikes revving engines past midnight.", positives={6}),
        Example("Dirt bikes and ATVs tearing up the block again.", positives={6}),
        Example("The rent keeps going up every year.", positives={4}),
        Example("Wants a job with better pay.", positives={5}),
    ]
    taught = ThemeCoder.build(themes=specs, corpus=corpus, examples=examples)
    assert 6 in dict(taught.predict([note])[0])


def test_it_falls_back_to_tfidf_with_a_warning_when_the_embedding_extra_is_missing(settings, caplog):
    settings.PORCHLIGHT_THEME_MODEL = "minilm"
    try:
        import sentence_transformers  # noqa: F401

        pytest.skip("the embeddings extra is installed here")
    except ImportError:
        pass
    with caplog.at_level(logging.WARNING):
        featurizer = make_featurizer()
    assert featurizer.name == "tfidf"
    assert "embeddings extra is not installed" in caplog.text


# --- Language ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("La renta subió otra vez y no podemos pagar la luz.", "es"),
        ("The rent went up again and we cannot pay the power bill.", "en"),
        ("Nous voulons plus de sécurité dans le quartier.", "fr"),
        ("ok", ""),
    ],
)
def test_it_detects_the_language_among_the_citys_languages(text, language):
    assert detect_language(text) == language


def test_it_detects_the_language_of_a_note_when_the_worker_did_not_record_it():
    campaign = coding_campaign(with_notes=False)
    unrecorded = conversation(campaign, "Quiere un trabajo con mejor sueldo cerca de su casa.", language="")
    recorded = conversation(campaign, "Quiere un trabajo con mejor sueldo.", language="es")
    services.text_items_sync(campaign=campaign)
    item = TextItem.objects.get(conversation=unrecorded)
    assert (item.language, item.language_detected) == ("es", True)
    assert TextItem.objects.get(conversation=recorded).language_detected is False


# --- Text items, runs and progress -------------------------------------------------------------------------


def test_it_makes_one_text_item_per_non_empty_field_and_scrubs_it():
    campaign = coding_campaign(with_notes=False)
    c = conversation(
        campaign,
        "Call her back at 704-555-0142 about the rent.",
        what_matters_most="Jobs for young people.",
        ideas="",
    )
    assert services.text_items_sync(conversations=[c]) == 2
    items = {i.field: i for i in TextItem.objects.filter(conversation=c)}
    assert set(items) == {"notes", "what_matters_most"}
    assert "704-555-0142" not in items["notes"].text_scrubbed
    assert items["notes"].text_scrubbed
    # Nothing changed: nothing to do the second time.
    assert services.text_items_sync(conversations=[c]) == 0


def test_a_coding_run_codes_every_note_in_batches_and_shows_its_progress(
    django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(services, "BATCH_SIZE", 5)
    campaign = coding_campaign()
    run = _run_all(campaign, django_capture_on_commit_callbacks)
    assert run.status == CodingRun.Status.DONE
    assert run.total == len(NOTES) == run.done
    assert run.finished_at is not None
    progress = coding_progress(campaign)
    assert (progress["items"], progress["coded"], progress["run"]) == (len(NOTES), len(NOTES), run)
    housing = _theme(campaign, "Affordable housing")
    rent = TextItem.objects.get(text__startswith="Rent went up again")
    assert effective_codes(TextItem.objects.filter(pk=rent.pk)).filter(theme=housing).exists()


def test_a_failed_run_says_so_and_keeps_the_error(django_capture_on_commit_callbacks, monkeypatch):
    campaign = coding_campaign()

    def broken(**kwargs: object) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "code_items", broken)
    run = _run_all(campaign, django_capture_on_commit_callbacks)
    assert run.status == CodingRun.Status.FAILED
    assert "disk full" in run.error


def test_the_command_codes_every_campaign_and_seeds_empty_codebooks(capsys):
    campaign = coding_campaign()
    bare = conversation(coding_campaign(with_notes=False), "Rent is too high.").campaign
    bare.themes.all().delete()
    call_command("code_themes", "--all", "--seed-codebook")
    out = capsys.readouterr().out
    assert f"{campaign}: coded {len(NOTES)} of {len(NOTES)} notes" in out
    assert bare.themes.count() == bare.topics.count()
    assert not TextItem.objects.filter(coded_at__isnull=True).exclude(campaign=bare).exists()


# --- Corrections -------------------------------------------------------------------------------------------


def test_corrections_survive_a_re_run(personas, django_capture_on_commit_callbacks):
    analyst = personas["analyst"]
    campaign = coding_campaign()
    _run_all(campaign, django_capture_on_commit_callbacks)
    housing, jobs, trust = (_theme(campaign, n) for n in ("Affordable housing", "Good-paying jobs", "Trust"))
    rent = TextItem.objects.get(text__startswith="Rent went up again")
    evicted = TextItem.objects.get(text__startswith="La renta subió")
    wage = TextItem.objects.get(text__startswith="Needs a job that pays")
    accepted = services.code_decide(code=rent.codes.get(theme=housing), decision="accepted", actor=analyst)
    rejected = services.code_decide(code=evicted.codes.get(theme=housing), decision="rejected", actor=analyst)
    added = services.code_add(item=wage, theme=trust, actor=analyst)
    untouched_before = set(ThemeCode.objects.filter(decision="", source="auto").values_list("pk", flat=True))
    assert untouched_before

    _run_all(campaign, django_capture_on_commit_callbacks)

    accepted.refresh_from_db()
    rejected.refresh_from_db()
    added.refresh_from_db()
    assert (accepted.decision, accepted.decided_by) == ("accepted", analyst)
    assert rejected.decision == "rejected"
    assert evicted.codes.filter(theme=housing).count() == 1  # not coded to housing again beside the rejection
    assert (added.source, added.theme) == ("analyst", trust)
    assert wage.codes.filter(theme=jobs).exists()  # automatic codes are back for the rest
    # Undecided automatic codes were replaced by fresh ones.
    assert not ThemeCode.objects.filter(pk__in=untouched_before).exists()
    effective = set(effective_codes(TextItem.objects.filter(campaign=campaign)).values_list("pk", flat=True))
    assert {accepted.pk, added.pk} <= effective
    assert rejected.pk not in effective


def test_corrections_teach_the_next_run(personas, django_capture_on_commit_callbacks):
    campaign = coding_campaign()
    _run_all(campaign, django_capture_on_commit_callbacks)
    before = get_coder(campaign)
    fish_fry = TextItem.objects.get(text__startswith="Mentioned that the church")
    services.code_add(item=fish_fry, theme=_theme(campaign, "Trust"), actor=personas["analyst"])
    after = get_coder(campaign)
    assert after is not before
    assert after.name != before.name


def test_an_analyst_cannot_code_a_note_to_another_campaigns_theme(personas):
    campaign = coding_campaign()
    other = coding_campaign(with_notes=False)
    services.text_items_sync(campaign=campaign)
    item = TextItem.objects.filter(campaign=campaign).first()
    with pytest.raises(ValidationError, match="another campaign"):
        services.code_add(item=item, theme=_theme(other, "Trust"), actor=personas["analyst"])
    assert not ThemeCode.objects.exists()


def test_an_unknown_decision_is_refused_and_changes_nothing(personas, django_capture_on_commit_callbacks):
    campaign = coding_campaign()
    _run_all(campaign, django_capture_on_commit_callbacks)
    code = ThemeCode.objects.first()
    with pytest.raises(ValidationError, match="Unknown decision"):
        services.code_decide(code=code, decision="maybe", actor=personas["analyst"])
    code.refresh_from_db()
    assert (code.decision, code.decided_by) == ("", None)


def test_rejecting_an_analyst_code_withdraws_it(personas):
    campaign = coding_campaign()
    services.text_items_sync(campaign=campaign)
    item = TextItem.objects.filter(campaign=campaign).first()
    code = services.code_add(item=item, theme=_theme(campaign, "Trust"), actor=personas["analyst"])
    assert services.code_decide(code=code, decision="rejected", actor=personas["analyst"]) is None
    assert not ThemeCode.objects.exists()


def test_effective_codes_leave_out_rejected_and_low_confidence_codes(personas):
    campaign = coding_campaign(with_notes=False)
    c = conversation(campaign, "Rent and jobs and trust.")
    services.text_items_sync(conversations=[c])
    item = TextItem.objects.get(conversation=c)
    housing, jobs, trust = (_theme(campaign, n) for n in ("Affordable housing", "Good-paying jobs", "Trust"))
    ThemeCode.objects.create(item=item, theme=housing, confidence=0.9)
    ThemeCode.objects.create(item=item, theme=jobs, confidence=0.2)
    ThemeCode.objects.create(item=item, theme=trust, confidence=0.9, decision="rejected")
    codes = effective_codes(TextItem.objects.filter(pk=item.pk))
    assert list(codes.values_list("theme__name", flat=True)) == ["Affordable housing"]


def test_erased_notes_keep_their_themes_through_a_re_run(django_capture_on_commit_callbacks):
    campaign = coding_campaign()
    _run_all(campaign, django_capture_on_commit_callbacks)
    item = TextItem.objects.get(text__startswith="Rent went up again")
    themes = set(item.codes.values_list("theme_id", flat=True))
    assert themes
    TextItem.objects.filter(pk=item.pk).update(text="[erased]", text_scrubbed="[erased]")
    _run_all(campaign, django_capture_on_commit_callbacks)
    assert set(item.codes.values_list("theme_id", flat=True)) == themes


# --- Emergent themes ---------------------------------------------------------------------------------------


STRAY_DOGS = [
    "Stray dogs roam around and chase the cats.",
    "A pack of stray dogs got into the trash cans again.",
    "Those stray dogs were barking all night long.",
    "Animal control never picks up the stray dogs.",
    "Stray dogs bark all night behind the shopping center.",
    "Worried the stray dogs will bite somebody soon.",
    "Feeding the stray dogs only brings more stray dogs.",
    "Two stray dogs had puppies under the porch.",
    "The stray dogs knocked over the recycling bins.",
    "Her cat was chased up a tree by stray dogs.",
    "Asked who to call about stray dogs.",
]


def test_notes_that_fit_no_theme_become_a_candidate_theme_that_an_analyst_can_promote(
    personas, django_capture_on_commit_callbacks
):
    campaign = coding_campaign()
    for note in STRAY_DOGS:
        conversation(campaign, note)
    _run_all(campaign, django_capture_on_commit_callbacks)
    found = services.emergent_themes_find(campaign=campaign)
    dogs = [e for e in found if "dogs" in e.keywords or "stray" in e.keywords]
    assert dogs, [e.label for e in found]
    emergent = dogs[0]
    assert emergent.size >= 4
    assert emergent.quotes and all(
        q in TextItem.objects.values_list("text_scrubbed", flat=True) for q in emergent.quotes
    )

    theme = services.emergent_theme_promote(
        emergent=emergent, actor=personas["analyst"], name="Stray animals", description="Stray dogs and cats."
    )
    assert theme.campaign == campaign
    assert theme.codes.filter(source="analyst").count() == emergent.size
    emergent.refresh_from_db()
    assert emergent.promoted_to == theme
    # A fresh search keeps promoted candidates and no longer offers those notes.
    again = services.emergent_themes_find(campaign=campaign)
    assert all(
        not set(e.items.values_list("pk", flat=True)) & set(theme.codes.values_list("item_id", flat=True))
        for e in again
    )


def test_promoting_needs_a_new_name(personas, django_capture_on_commit_callbacks):
    campaign = coding_campaign()
    for note in STRAY_DOGS:
        conversation(campaign, note)
    _run_all(campaign, django_capture_on_commit_callbacks)
    emergent = services.emergent_themes_find(campaign=campaign)[0]
    with pytest.raises(ValidationError, match="already has a theme"):
        services.emergent_theme_promote(
            emergent=emergent, actor=personas["analyst"], name="trust", description=""
        )
    with pytest.raises(ValidationError, match="Give the theme a name"):
        services.emergent_theme_promote(
            emergent=emergent, actor=personas["analyst"], name="  ", description=""
        )
    assert Theme.objects.filter(campaign=campaign).count() == len(THEMES)


def test_too_few_uncoded_notes_make_no_candidates():
    campaign = coding_campaign(with_notes=False)
    conversation(campaign, "Stray dogs everywhere.")
    services.text_items_sync(campaign=campaign)
    assert services.emergent_themes_find(campaign=campaign) == []


# --- Codebook and the background hook ----------------------------------------------------------------------


def test_it_seeds_a_codebook_from_the_campaigns_topics_once():
    campaign = coding_campaign(with_notes=False)
    campaign.themes.all().delete()
    themes = services.codebook_seed(campaign=campaign)
    assert sorted(t.name for t in themes) == sorted(campaign.topics.values_list("name", flat=True))
    assert all(t.topic_id for t in themes)
    assert services.codebook_seed(campaign=campaign) == []


def test_a_conversation_logged_through_the_service_gets_coded_after_commit(
    personas, django_capture_on_commit_callbacks
):
    campaign = coding_campaign()
    services.text_items_sync(campaign=campaign)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = conversation_log(
            actor=personas["outreach_worker"],
            client_id=uuid.uuid4(),
            campaign=campaign,
            channel="door",
            held_at=timezone.now() - dt.timedelta(hours=1),
            language="es",
            notes="El alquiler subió y el dueño nos quiere desalojar.",
        )
    assert callbacks
    item = TextItem.objects.get(conversation=result.conversation)
    assert item.coded_at is not None
    assert item.codes.filter(theme__name="Affordable housing").exists()


def test_logging_a_conversation_in_a_campaign_without_a_codebook_still_works(
    personas, django_capture_on_commit_callbacks
):
    campaign = coding_campaign(with_notes=False)
    campaign.themes.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        result = conversation_log(
            actor=personas["outreach_worker"],
            client_id=uuid.uuid4(),
            campaign=campaign,
            channel="phone",
            notes="Rent is too high.",
        )
    assert TextItem.objects.get(conversation=result.conversation).coded_at is None


@pytest.mark.django_db
def test_it_looks_for_new_themes_among_notes_no_theme_fits_well():
    from porchlight.insights.coding.selectors import EMERGENT_FIT, loosely_fitting_items

    campaign = coding_campaign(with_notes=False)
    theme = Theme.objects.create(campaign=campaign, name="Bus service")
    items = []
    for i, (source, confidence, decision) in enumerate(
        [
            ("auto", EMERGENT_FIT - 0.1, ""),  # coded, but loosely: a candidate
            ("auto", EMERGENT_FIT + 0.1, ""),  # fits well
            ("auto", EMERGENT_FIT - 0.1, "accepted"),  # an analyst said it fits
            ("analyst", 1.0, ""),
            (None, 0, ""),  # not coded to anything
        ]
    ):
        c = conversation(campaign, f"note {i}")
        item = TextItem.objects.create(
            conversation=c, campaign=campaign, field="notes", text=c.notes, coded_at=timezone.now()
        )
        if source:
            ThemeCode.objects.create(
                item=item, theme=theme, source=source, confidence=confidence, decision=decision
            )
        items.append(item)
    assert set(loosely_fitting_items(campaign)) == {items[0], items[4]}
