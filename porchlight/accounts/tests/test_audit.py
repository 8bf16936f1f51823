import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from porchlight.accounts.models import AuditEvent
from porchlight.accounts.services import audit_record
from porchlight.testing.factories import ConversationFactory, ResidentFactory


def test_it_logs_who_viewed_a_resident_record(client, personas):
    resident = ResidentFactory()
    client.force_login(personas["case_manager"])
    client.get(reverse("people:resident_detail", args=[resident.pk]))
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.object_type, event.object_id) == (
        personas["case_manager"], "view", "people.resident", str(resident.pk))
    assert event.ip_address == "127.0.0.1"


def test_it_logs_a_resident_view_through_a_conversation(client, personas):
    conversation = ConversationFactory()
    client.force_login(personas["outreach_worker"])
    client.get(reverse("outreach:conversation_detail", args=[conversation.pk]))
    assert AuditEvent.objects.filter(object_id=str(conversation.resident.pk), action="view").count() == 1


def test_it_does_not_log_a_refused_view(client, personas):
    resident = ResidentFactory()
    client.force_login(personas["analyst"])
    assert client.get(reverse("people:resident_detail", args=[resident.pk])).status_code == 403
    assert AuditEvent.objects.count() == 0


def test_it_refuses_to_change_or_delete_audit_events_in_the_orm(db, personas):
    event = audit_record(actor=personas["analyst"], action="export", object_type="report", object_id="1")
    event.detail = "tampered"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.update(detail="x")


def test_it_refuses_to_change_or_delete_audit_events_in_the_database_itself(db, personas):
    event = audit_record(actor=personas["analyst"], action="export", object_type="report", object_id="1")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_auditevent SET detail = 'x' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, detail="").exists()


def test_it_refuses_to_append_many_events_at_once(db, personas):
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.bulk_create([AuditEvent(action="view", object_type="report")])
