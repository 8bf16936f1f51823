"""Dialogue pages: who may read, import and recompute; the import form's errors; what the pages show."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from porchlight.accounts.models import AuditEvent
from porchlight.insights.models import OpinionAnalysis, StatementSet, Vote
from porchlight.insights.opinions import services
from porchlight.insights.opinions.parsing import ParsedVotes
from porchlight.insights.opinions.synthetic import latent_group_votes
from porchlight.insights.tests.test_opinions_import import polis_files

READERS = ["administrator", "program_manager", "analyst"]
NOT_READERS = ["outreach_worker", "case_manager", "partner"]


def planted_set(name: str = "Can We Talk?", *, polis: bool = False) -> StatementSet:
    matrix, _truth = latent_group_votes(n_participants=90, n_statements=12, n_groups=2, seed=5)
    parsed = ParsedVotes(is_polis=polis)
    for j in range(matrix.shape[1]):
        parsed.statements[f"s{j}"] = (f"Statement number {j}", False)
    for i in range(matrix.shape[0]):
        parsed.participants[f"p{i}"] = ""
        for j in range(matrix.shape[1]):
            if matrix[i, j] == matrix[i, j]:
                parsed.votes[(f"p{i}", f"s{j}")] = int(matrix[i, j])
    return services.statement_set_import(parsed=parsed, name=name, source="demo")


@pytest.fixture
def computed(db):
    statement_set = planted_set()
    services.opinion_groups_compute(statement_set=statement_set)
    return statement_set


@pytest.mark.django_db
@pytest.mark.parametrize("role", READERS)
def test_it_lets_staff_with_the_dashboard_read(client, personas, computed, role):
    client.force_login(personas[role])
    assert client.get(reverse("insights:dialogues")).status_code == 200
    response = client.get(reverse("insights:dialogue_detail", args=[computed.pk]))
    assert response.status_code == 200
    assert "Group A" in response.content.decode() and "Group B" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", NOT_READERS)
def test_it_forbids_everyone_else(client, personas, computed, role):
    client.force_login(personas[role])
    assert client.get(reverse("insights:dialogues")).status_code == 403
    assert client.get(reverse("insights:dialogue_detail", args=[computed.pk])).status_code == 403
    assert client.post(reverse("insights:dialogue_recompute", args=[computed.pk])).status_code == 403


@pytest.mark.django_db
def test_it_sends_anonymous_people_to_log_in(client, computed):
    response = client.get(reverse("insights:dialogue_detail", args=[computed.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.django_db
def test_it_gives_404_for_a_set_that_does_not_exist(client, personas):
    client.force_login(personas["analyst"])
    assert client.get(reverse("insights:dialogue_detail", args=[999999])).status_code == 404
    assert client.post(reverse("insights:dialogue_recompute", args=[999999])).status_code == 404


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


@pytest.mark.django_db
def test_it_lets_analysts_read_but_not_import(client, personas):
    client.force_login(personas["analyst"])
    page = client.get(reverse("insights:dialogues")).content.decode()
    assert "Import votes" not in page
    response = client.post(reverse("insights:dialogue_import"), {
        "name": "X", "kind": "polis", "comments": upload("comments.csv", polis_files()["comments.csv"])})
    assert response.status_code == 403
    assert not StatementSet.objects.exists()


@pytest.mark.django_db
def test_it_imports_a_zipped_polis_export_and_audits_it(client, personas):
    client.force_login(personas["program_manager"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in polis_files().items():
            archive.writestr(name, text)
    response = client.post(reverse("insights:dialogue_import"), {
        "name": "Transit", "kind": "polis",
        "export_zip": SimpleUploadedFile("export.zip", buffer.getvalue(), content_type="application/zip")})
    statement_set = StatementSet.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("insights:dialogue_detail", args=[statement_set.pk])
    assert Vote.objects.count() == 5
    assert AuditEvent.objects.filter(action="import", actor=personas["program_manager"]).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Data gathered with Polis, CC BY 4.0, The Computational Democracy Project" in page
    # Too few votes to group: the page says so instead of failing.
    assert "Not enough votes" in page


@pytest.mark.django_db
def test_it_shows_row_errors_and_imports_nothing(client, personas):
    client.force_login(personas["administrator"])
    bad_votes = "participant_id,statement_id,vote\np1,s1,maybe\np1,s9,1\n"
    response = client.post(reverse("insights:dialogue_import"), {
        "name": "Ours", "kind": "csv",
        "statements": upload("statements.csv", "statement_id,text\ns1,Hello\n"),
        "statement_votes": upload("votes.csv", bad_votes)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert "votes file, row 2" in page and "votes file, row 3" in page
    assert not StatementSet.objects.exists() and not Vote.objects.exists()


@pytest.mark.django_db
def test_it_asks_for_files(client, personas):
    client.force_login(personas["administrator"])
    response = client.post(reverse("insights:dialogue_import"), {"name": "Ours", "kind": "csv"})
    assert response.status_code == 400
    assert "Choose both the statements CSV and the votes CSV" in response.content.decode()
    response = client.post(reverse("insights:dialogue_import"), {"name": "Ours", "kind": "polis"})
    assert "Choose the Pol.is export" in response.content.decode()


@pytest.mark.django_db
def test_it_imports_our_csv_and_computes_groups(client, personas):
    client.force_login(personas["program_manager"])
    matrix, _truth = latent_group_votes(n_participants=60, n_statements=15, n_groups=2, seed=2)
    statements = "statement_id,text\n" + "".join(f"s{j},Statement {j}\n" for j in range(15))
    votes = "participant_id,statement_id,vote\n" + "".join(
        f"p{i},s{j},{int(matrix[i, j])}\n"
        for i in range(60) for j in range(15) if matrix[i, j] == matrix[i, j]
    )
    response = client.post(reverse("insights:dialogue_import"), {
        "name": "Ours", "kind": "csv", "statements": upload("s.csv", statements),
        "statement_votes": upload("v.csv", votes)})
    assert response.status_code == 302
    analysis = OpinionAnalysis.objects.get()
    assert analysis.n_groups == 2
    page = client.get(response["Location"]).content.decode()
    assert "Data gathered with Polis" not in page
    assert "opinion-map-spec" in page


@pytest.mark.django_db
def test_it_recomputes_on_request(client, personas, computed):
    client.force_login(personas["analyst"])
    response = client.post(reverse("insights:dialogue_recompute", args=[computed.pk]))
    assert response.status_code == 302
    assert computed.analyses.count() == 2
    latest = computed.analyses.first()
    assert latest.result["groups"][0]["size"] + latest.result["groups"][1]["size"] == latest.n_participants
