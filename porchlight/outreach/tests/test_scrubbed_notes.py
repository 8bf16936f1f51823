"""Analysts read conversation notes as reports quote them: no names, phones, emails or street addresses."""

from __future__ import annotations

from django.urls import reverse

from porchlight.accounts.models import AuditEvent
from porchlight.testing.factories import ConversationFactory, NeedFactory, ResidentFactory

NOTE = "Dana Whitfield at 1200 Beatties Ford Rd, call 704-555-0142 or dana@example.org"


def test_analysts_read_a_scrubbed_note_and_the_read_is_audited(client, personas) -> None:
    resident = ResidentFactory(first_name="Dana", last_name="Whitfield")
    conversation = ConversationFactory(resident=resident, notes=NOTE)
    NeedFactory(conversation=conversation, resident=resident, description="Call her at 704-555-0142")
    analyst = personas["analyst"]
    client.force_login(analyst)
    page = client.get(reverse("outreach:conversation_detail", args=[conversation.pk])).content.decode()
    assert "[name] at [address], call [phone] or [email]" in page
    assert "555-0142" not in page and "Whitfield" not in page and "Beatties" not in page
    assert AuditEvent.objects.filter(
        actor=analyst, object_type="outreach.conversation", object_id=str(conversation.pk)
    ).exists()
    conversation.refresh_from_db()
    assert conversation.notes == NOTE  # scrubbed for reading only, never saved


def test_workers_read_the_note_as_written(client, personas) -> None:
    conversation = ConversationFactory(resident=ResidentFactory(), notes=NOTE)
    client.force_login(personas["outreach_worker"])
    page = client.get(reverse("outreach:conversation_detail", args=[conversation.pk])).content.decode()
    assert "704-555-0142" in page
