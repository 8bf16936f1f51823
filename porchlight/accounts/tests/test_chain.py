"""The audit log's hash chain, and `manage.py audit_verify` finding the first broken or missing link."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse

from porchlight.accounts.chain import GENESIS
from porchlight.accounts.models import AuditEvent
from porchlight.accounts.selectors import audit_chain_verify
from porchlight.accounts.services import audit_record


@pytest.fixture
def five_events(personas):
    return [
        audit_record(actor=personas["case_manager"], action="view", object_type="resident", object_id=k)
        for k in "12345"
    ]


def _as_superuser_without_triggers(sql: str, params: list) -> None:
    """What an intruder with the database's superuser could do: switch the guards off and rewrite a row."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # row triggers stop firing
            cursor.execute(sql, params)
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                           ["accounts_auditevent"])
            triggers = cursor.fetchall()
            for name, _ in triggers:
                cursor.execute(f"DROP TRIGGER {name}")
            cursor.execute(sql, params)
            for _, create in triggers:
                cursor.execute(create)


def test_it_links_each_event_to_the_one_before(five_events):
    first, second = five_events[0], five_events[1]
    assert (first.seq, first.prev_hash) == (1, GENESIS)
    assert (second.seq, second.prev_hash) == (2, first.hash)
    assert AuditEvent.objects.get(pk=second.pk).digest() == second.hash


def test_it_reports_an_intact_chain_and_its_head(five_events):
    report = audit_chain_verify()
    assert report.ok and report.checked == 5
    assert (report.head_seq, report.head_hash) == (5, five_events[-1].hash)
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "intact: 5 rows" in out.getvalue() and f"5:{five_events[-1].hash}" in out.getvalue()


def test_it_finds_a_row_removed_with_the_triggers_off(five_events):
    _as_superuser_without_triggers("DELETE FROM accounts_auditevent WHERE id = %s", [five_events[2].pk])
    report = audit_chain_verify()
    assert not report.ok
    assert (report.broken_seq, report.broken_id, report.checked) == (4, five_events[3].pk, 2)
    assert "3 to 3" in report.problem
    with pytest.raises(CommandError, match="seq=4"):
        call_command("audit_verify")


def test_it_finds_a_row_changed_with_the_triggers_off(five_events):
    _as_superuser_without_triggers(
        "UPDATE accounts_auditevent SET object_id = '99' WHERE id = %s", [five_events[1].pk]
    )
    report = audit_chain_verify()
    assert (report.broken_seq, report.problem) == (2, "its content was changed after it was written")


def test_it_finds_a_row_removed_and_the_rest_renumbered(five_events):
    # A careful intruder closes the gap in seq: the next row's link still names the removed row's hash.
    _as_superuser_without_triggers("DELETE FROM accounts_auditevent WHERE id = %s", [five_events[4].pk])
    _as_superuser_without_triggers("DELETE FROM accounts_auditevent WHERE id = %s", [five_events[1].pk])
    for event in five_events[2:4]:
        _as_superuser_without_triggers(
            "UPDATE accounts_auditevent SET seq = seq - 1 WHERE id = %s", [event.pk]
        )
    report = audit_chain_verify()
    assert report.broken_seq == 2 and "link to row 1" in report.problem


def test_it_notices_the_newest_rows_removed_given_a_recorded_head(five_events):
    head = f"5:{five_events[-1].hash}"
    call_command("audit_verify", "--head", head, stdout=StringIO())
    _as_superuser_without_triggers("DELETE FROM accounts_auditevent WHERE id = %s", [five_events[4].pk])
    call_command("audit_verify", stdout=StringIO())  # a shorter chain is still a chain ...
    with pytest.raises(CommandError, match="gone or changed"):
        call_command("audit_verify", "--head", head)  # ... but the recorded head is gone


def test_it_shows_the_check_to_those_who_read_the_audit_log(client, personas, five_events):
    url = reverse("accounts:audit_verify")
    client.force_login(personas["administrator"])
    response = client.get(url)
    assert response.status_code == 200 and b"5 rows" in response.content
    client.force_login(personas["program_manager"])
    assert client.get(url).status_code == 403


def test_the_audit_log_in_the_admin_links_to_the_check(client, personas):
    admin = personas["administrator"]
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(admin)
    page = client.get(reverse("admin:accounts_auditevent_changelist"))
    assert reverse("accounts:audit_verify").encode() in page.content


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has a single writer already")
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_never_fork_the_chain():
    import threading

    from django.db import connections

    errors: list[Exception] = []

    def append(worker: int) -> None:
        try:
            for n in range(10):
                with transaction.atomic():  # a request's transaction, doing other work around the append
                    audit_record(actor=None, action="view", object_type="resident", object_id=f"{worker}-{n}")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = audit_chain_verify()
    assert report.ok and report.checked == 40 == AuditEvent.objects.count()
