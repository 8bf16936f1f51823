"""A program manager imports a Pol.is export; an analyst reads the opinion groups on a desktop and a phone."""

from __future__ import annotations

import io
import zipfile

import numpy as np
from playwright.sync_api import Page, expect

from porchlight.insights.models import OpinionAnalysis, StatementSet
from porchlight.insights.opinions.synthetic import latent_group_votes
from tests.browser.support import (
    World,
    blocking,
    describe,
    horizontal_overflow,
    log_in,
    overflowing_elements,
    run_axe,
    screenshot,
)

STATEMENTS = [
    "Officers should walk the beat in my neighborhood.",
    "We need more officers, not fewer.",
    "Some 911 calls should go to mental health teams instead of police.",
    "The review board should be able to subpoena witnesses.",
    "Young people need more places to go after school.",
    "Street lights on my block are out too often.",
    "Body camera footage should be public within 30 days.",
    "CMPD treats people in my neighborhood with respect.",
    "The city should publish every use-of-force report.",
    "Más iluminación en los parques por la noche.",
    "Stop-and-frisk makes my neighborhood safer.",
    "Community meetings with police change nothing.",
]


def polis_zip() -> bytes:
    """A small Pol.is export (comments.csv + participants-votes.csv) with two planted opinion groups."""
    matrix, truth = latent_group_votes(n_participants=120, n_statements=len(STATEMENTS), n_groups=2, seed=4)
    comments = ["timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body"]
    comments += [f'1,Mon,{j},0,0,0,1,"{text}"' for j, text in enumerate(STATEMENTS)]
    header = "participant,group-id,n-comments,n-votes,n-agree,n-disagree," + ",".join(
        str(j) for j in range(len(STATEMENTS)))
    rows = [header]
    for i, votes in enumerate(matrix):
        cells = ["" if np.isnan(v) else str(int(v)) for v in votes]
        rows.append(f"{i},{truth[i]},0,{sum(c != '' for c in cells)},0,0," + ",".join(cells))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("can-we-talk/comments.csv", "\n".join(comments) + "\n")
        archive.writestr("can-we-talk/participants-votes.csv", "\n".join(rows) + "\n")
    return buffer.getvalue()


def _check(page: Page, name: str) -> None:
    violations = blocking(run_axe(page))
    assert not violations, f"{name}: accessibility problems:\n{describe(violations)}"
    screenshot(page, name)


def test_it_imports_a_polis_export_and_shows_opinion_groups(world: World, site: str, page: Page,
                                                            new_context) -> None:
    log_in(page, site, world.manager)
    page.goto(f"{site}/insights/dialogues/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dialogues and opinion groups")
    _check(page, "dialogues-empty")

    # A bad upload first: the form says what is wrong and nothing is imported.
    page.get_by_label("Name").fill("Can We Talk? poll")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("alert").first).to_contain_text("Choose the Pol.is export")
    assert not StatementSet.objects.exists()

    page.get_by_label("Name").fill("Can We Talk? poll")
    page.get_by_label("Pol.is export as a .zip").set_input_files(
        files=[{"name": "export.zip", "mimeType": "application/zip", "buffer": polis_zip()}]
    )
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Can We Talk? poll")
    expect(page.get_by_text("Imported 12 statements, 120 participants")).to_be_visible()
    assert OpinionAnalysis.objects.get().n_groups == 2
    expect(page.get_by_role("heading", name="Group A", exact=False).first).to_be_visible()
    attribution = "Data gathered with Polis, CC BY 4.0, The Computational Democracy Project"
    expect(page.get_by_text(attribution)).to_be_visible()
    # The opinion map is drawn by Vega-Lite, one mark per participant.
    expect(page.locator(".pl-chart svg")).to_be_visible(timeout=15_000)
    assert page.locator(".pl-chart svg .mark-symbol path").count() >= 100

    # An analyst reads it and recomputes.
    analyst = new_context().new_page()
    log_in(analyst, site, world.analyst)
    statement_set = StatementSet.objects.get()
    analyst.goto(f"{site}/insights/dialogues/{statement_set.pk}/")
    expect(analyst.locator(".pl-chart svg")).to_be_visible(timeout=15_000)
    _check(analyst, "dialogue-detail")
    expect(analyst.get_by_role("heading", name="Import votes")).to_have_count(0)
    analyst.get_by_role("button", name="Recompute").click()
    expect(analyst.get_by_text("Opinion groups recomputed.")).to_be_visible()
    assert statement_set.analyses.count() == 2
    analyst.goto(f"{site}/insights/dialogues/")
    _check(analyst, "dialogues-list")

    # On a phone nothing scrolls sideways.
    phone = new_context(phone=True).new_page()
    log_in(phone, site, world.analyst)
    pages = [(f"dialogues/{statement_set.pk}/", "dialogue-detail-phone"), ("dialogues/", "dialogues-phone")]
    for path, name in pages:
        phone.goto(f"{site}/insights/{path}")
        phone.wait_for_load_state("networkidle")
        assert horizontal_overflow(phone) <= 0, f"{name}: {overflowing_elements(phone)}"
        screenshot(phone, name)
