"""Importing Pol.is exports and our own CSV pair (all or nothing, with row errors); recording votes."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from porchlight.accounts.models import AuditEvent
from porchlight.insights.models import OpinionAnalysis, Participant, Statement, StatementSet, Vote
from porchlight.insights.opinions import services
from porchlight.insights.opinions.parsing import files_from_zip, parse_polis, parse_simple

COMMENTS = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    "1,Mon,0,0,2,1,1,Buses should run later at night.\n"
    '2,Mon,1,1,1,2,0,"Parks need more lighting,\nespecially near the greenway."\n'
    "3,Mon,2,1,0,0,-1,Off-topic comment a moderator removed.\n"
)
PARTICIPANTS_VOTES = (
    "participant,xid,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2\n"
    "0,,0,1,2,1,1,1,-1,\n"
    "1,abc,1,2,2,1,1,-1,1,\n"
    "2,,,0,1,1,0,1,,\n"
)
VOTES = (
    "timestamp,datetime,comment-id,voter-id,vote\n"
    "10,Mon,0,0,-1\n"
    "20,Mon,0,0,1\n"  # changed their mind: the later vote counts
    "11,Mon,1,0,-1\n"
    "12,Mon,0,1,-1\n"
    "13,Mon,1,1,1\n"
    "14,Mon,0,2,1\n"
)


def polis_files(**overrides: str) -> dict[str, str]:
    files = {"comments.csv": COMMENTS, "participants-votes.csv": PARTICIPANTS_VOTES, "votes.csv": VOTES}
    files.update(overrides)
    return {name: text for name, text in files.items() if text is not None}


def test_it_reads_a_polis_export():
    parsed = parse_polis(polis_files())
    assert parsed.errors == []
    assert parsed.statements["1"] == ("Parks need more lighting,\nespecially near the greenway.", False)
    assert parsed.statements["2"][1] is True  # moderated out
    assert parsed.participants == {"0": "0", "1": "1", "2": ""}
    assert parsed.votes[("0", "0")] == 1  # the latest vote
    assert len(parsed.votes) == 5


def test_it_reads_votes_from_participants_votes_when_there_is_no_votes_csv():
    files = polis_files()
    del files["votes.csv"]
    parsed = parse_polis(files)
    assert parsed.errors == []
    assert parsed.votes == {("0", "0"): 1, ("0", "1"): -1, ("1", "0"): -1, ("1", "1"): 1, ("2", "0"): 1}


def test_it_reads_a_zipped_export_inside_a_folder():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in polis_files().items():
            archive.writestr(f"my-conversation/{name}", text)
    files = files_from_zip(buffer.getvalue())
    assert set(files) == {"comments.csv", "participants-votes.csv", "votes.csv"}
    with pytest.raises(ValueError):
        files_from_zip(b"not a zip")


@pytest.mark.django_db
def test_it_imports_everything_and_keeps_polis_groups(personas):
    statement_set = services.statement_set_import(
        parsed=parse_polis(polis_files()), name="Transit talk", source="2demo",
        actor=personas["program_manager"],
    )
    assert statement_set.source == "polis:2demo"
    assert statement_set.statements.count() == 3
    assert statement_set.statements.get(external_id="2").moderated_out
    assert dict(statement_set.participants.values_list("external_id", "source_group")) == {
        "0": "0", "1": "1", "2": ""}
    assert Vote.objects.get(participant__external_id="0", statement__external_id="0").value == 1
    audit = AuditEvent.objects.get(action="import")
    assert audit.actor == personas["program_manager"] and "5 votes" in audit.detail


BAD_CASES = [
    ({"comments.csv": COMMENTS.replace("0,0,2,1,1,Buses", "x,0,2,1,1,Buses")}, "comments.csv, row 2"),
    ({"comments.csv": COMMENTS + "4,Mon,1,3,0,0,1,A duplicate id\n"}, "comment-id 1 appears twice"),
    ({"comments.csv": COMMENTS.replace("-1,Off-topic", "7,Off-topic")}, "moderated must be"),
    ({"votes.csv": VOTES + "15,Mon,9,2,1\n"}, "comment-id 9 is not in comments.csv"),
    ({"votes.csv": VOTES + "15,Mon,1,2,2\n"}, "votes.csv, row 8"),
    ({"participants-votes.csv": PARTICIPANTS_VOTES + "3,,0,0,1,1,0,yes,,\n"},
     "participants-votes.csv, row 5"),
    ({"participants-votes.csv": PARTICIPANTS_VOTES.replace(",0,1,2\n", ",0,1,7\n", 1)}, "column 7"),
    ({"comments.csv": None}, "no comments.csv"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "expected"), BAD_CASES)
def test_it_rejects_a_bad_export_with_row_errors_and_writes_nothing(change, expected):
    parsed = parse_polis(polis_files(**change))
    with pytest.raises(ValidationError) as exc:
        services.statement_set_import(parsed=parsed, name="Bad")
    assert any(expected in message for message in exc.value.messages), exc.value.messages
    assert not StatementSet.objects.exists()
    assert not Statement.objects.exists() and not Participant.objects.exists() and not Vote.objects.exists()


@pytest.mark.django_db
def test_it_imports_our_own_csv_pair():
    parsed = parse_simple(
        "statement_id,text\ns1,Police should walk the beat.\ns2,Más luces en el parque.\n",
        "participant_id,statement_id,vote\np1,s1,agree\np1,s2,-1\np2,s1,pass\np2,s2,1\n",
    )
    statement_set = services.statement_set_import(parsed=parsed, name="Our poll")
    assert not statement_set.source.startswith("polis:")
    votes = Vote.objects.values_list("participant__external_id", "statement__external_id", "value")
    assert sorted(votes) == [("p1", "s1", 1), ("p1", "s2", -1), ("p2", "s1", 0), ("p2", "s2", 1)]


def test_it_reports_every_bad_row_in_our_csv_pair():
    parsed = parse_simple(
        "statement_id,text\ns1,One\ns1,Again\ns3,\n",
        "participant_id,statement_id,vote\np1,s1,maybe\np1,s9,1\n,s1,1\np2,s1,1\np2,s1,-1\n",
    )
    joined = "\n".join(parsed.errors)
    for expected in ("statements file, row 3", "statements file, row 4", "votes file, row 2",
                     "votes file, row 3", "votes file, row 4", "votes twice"):
        assert expected in joined


@pytest.mark.django_db
def test_it_asks_for_a_name():
    with pytest.raises(ValidationError, match="name"):
        services.statement_set_import(parsed=parse_polis(polis_files()), name="  ")
    assert not StatementSet.objects.exists()


@pytest.mark.django_db
def test_it_records_a_vote_once_and_lets_it_change():
    statement_set = services.statement_set_import(parsed=parse_polis(polis_files()), name="Transit")
    statement = statement_set.statements.get(external_id="1")
    participant = statement_set.participants.get(external_id="2")
    services.vote_record(statement=statement, participant=participant, value=1)
    services.vote_record(statement=statement, participant=participant, value=1)
    assert Vote.objects.filter(statement=statement, participant=participant).count() == 1
    services.vote_record(statement=statement, participant=participant, value=-1)
    assert Vote.objects.get(statement=statement, participant=participant).value == -1


@pytest.mark.django_db
def test_it_refuses_bad_votes():
    statement_set = services.statement_set_import(parsed=parse_polis(polis_files()), name="Transit")
    other = services.statement_set_import(parsed=parse_polis(polis_files()), name="Other")
    statement = statement_set.statements.get(external_id="1")
    participant = statement_set.participants.get(external_id="2")
    with pytest.raises(ValidationError, match="agree"):
        services.vote_record(statement=statement, participant=participant, value=2)
    with pytest.raises(ValidationError, match="different statement sets"):
        services.vote_record(statement=statement, participant=other.participants.first(), value=1)
    with pytest.raises(ValidationError, match="moderated out"):
        services.vote_record(statement=statement_set.statements.get(external_id="2"), participant=participant,
                             value=1)
    assert not Vote.objects.filter(participant=participant, statement=statement).exists()


@pytest.mark.django_db
def test_it_refuses_to_group_too_few_votes():
    statement_set = services.statement_set_import(parsed=parse_polis(polis_files()), name="Transit")
    with pytest.raises(ValidationError, match="Not enough votes"):
        services.opinion_groups_compute(statement_set=statement_set)
    assert not OpinionAnalysis.objects.exists()
