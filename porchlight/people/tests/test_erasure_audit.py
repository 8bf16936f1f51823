"""Erasing a resident leaves nothing in the audit log that names them, and the audit chain stays intact."""

from django.urls import reverse

from porchlight.accounts.models import AuditEvent
from porchlight.accounts.selectors import audit_chain_verify
from porchlight.people.models import Email
from porchlight.people.privacy import resident_erase
from porchlight.testing.factories import ConversationFactory, PhoneFactory, ResidentFactory

SECRETS = ("rosa", "quintero", "704", "555", "0142", "rosa.q@example.org")


def test_it_leaves_no_name_phone_or_email_in_the_audit_log(client, personas):
    resident = ResidentFactory(first_name="Rosa", last_name="Quintero")
    PhoneFactory(resident=resident, number="+17045550142")
    Email.objects.create(resident=resident, address="rosa.q@example.org")
    conversation = ConversationFactory(resident=resident, notes="Rosa Quintero wants a crosswalk")
    # Workers look her up by name, phone and email, read her page and the conversation; an analyst reads
    # the coded notes with a query string someone typed by hand.
    client.force_login(personas["program_manager"])
    for query in ("Rosa Quintero", "704-555-0142", "rosa.q@example.org"):
        client.get(reverse("people:resident_list"), {"q": query})
        client.get("/api/v1/residents/", {"q": query})
    client.get(reverse("people:resident_detail", args=[resident.pk]))
    client.get(reverse("outreach:conversation_detail", args=[conversation.pk]))
    notes = reverse("insights:notes_review", args=[conversation.campaign.pk])
    client.get(notes, {"q": "Rosa", "channel": "door"})
    assert AuditEvent.objects.count() >= 3

    resident_erase(
        resident=resident,
        actor=personas["administrator"],
        reason="Rosa Quintero called from (704) 555-0142 and wrote from ROSA.Q@example.org, ticket 4411",
    )

    details = " ".join(AuditEvent.objects.values_list("detail", flat=True)).lower()
    for secret in SECRETS:
        assert secret not in details, secret
    assert "ticket 4411" in details  # the request itself is still on record
    assert audit_chain_verify().ok
