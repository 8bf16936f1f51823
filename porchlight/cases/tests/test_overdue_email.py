"""The overdue-work email, sent by Django's SMTP backend to a real SMTP server (aiosmtpd) on localhost."""

import datetime as dt
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from porchlight.accounts.roles import Role
from porchlight.cases.casework.followups import followups_schedule, overdue_notify
from porchlight.cases.models import Referral, Task
from porchlight.testing.factories import ReferralFactory, UserFactory
from porchlight.testing.factories_cases import CaseFactory, TaskFactory

TODAY = dt.date(2026, 3, 10)
REFUSED = "refused@example.org"


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts, and refuses mail for REFUSED."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.messages: list[email.message.EmailMessage] = []
        self.controller: Controller | None = None

    def start(self) -> None:
        # A stopped Controller cannot be started again (its event loop is closed): make a new one.
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address == REFUSED:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a free localhost port, with Django pointed at it."""
    inbox = Inbox(port=free_port())
    inbox.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = inbox.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Porchlight <porchlight@city.example>"
    yield inbox
    inbox.stop()


def cm(username: str, mail: str):
    return UserFactory(username=username, email=mail, role=Role.CASE_MANAGER, languages=["en"])


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.mark.django_db
def test_it_emails_each_owner_once_about_their_overdue_tasks(smtp):
    carla, dev = cm("carla", "carla@city.example"), cm("dev", "dev@city.example")
    case = CaseFactory(owner=carla, title="Keep the Lopez family housed")
    TaskFactory(case=case, title="Call the landlord", due_on=TODAY - dt.timedelta(days=2))
    TaskFactory(case=case, title="Collect pay stubs", due_on=TODAY - dt.timedelta(days=1))
    TaskFactory(case=case, title="Due today, not late", due_on=TODAY)
    TaskFactory(case=case, title="Already done", due_on=TODAY - dt.timedelta(days=5), done_at=timezone.now())
    TaskFactory(
        case=CaseFactory(owner=dev), title="Book the interpreter", due_on=TODAY - dt.timedelta(days=1)
    )

    assert overdue_notify(today=TODAY) == 2

    by_recipient = {m["To"]: m for m in smtp.messages}
    assert set(by_recipient) == {"carla@city.example", "dev@city.example"}
    carla_mail = by_recipient["carla@city.example"]
    assert carla_mail["Subject"] == "Porchlight: 2 overdue tasks"
    assert carla_mail["From"] == "Porchlight <porchlight@city.example>"
    text = body(carla_mail)
    assert "Call the landlord" in text and "Collect pay stubs" in text
    assert "Due today, not late" not in text and "Already done" not in text
    assert f"/cases/{case.pk}/" in text and "/cases/tasks/" in text
    assert by_recipient["dev@city.example"]["Subject"] == "Porchlight: 1 overdue task"
    assert Task.objects.filter(overdue_notified_at__isnull=False).count() == 3


@pytest.mark.django_db
def test_a_second_run_sends_nothing(smtp):
    carla = cm("carla", "carla@city.example")
    TaskFactory(case=CaseFactory(owner=carla), due_on=TODAY - dt.timedelta(days=1))
    assert overdue_notify(today=TODAY) == 1
    assert overdue_notify(today=TODAY) == 0
    assert overdue_notify(today=TODAY + dt.timedelta(days=1)) == 0
    assert len(smtp.messages) == 1


@pytest.mark.django_db
def test_it_includes_automatic_check_ins_and_referrals_waiting_for_acceptance(smtp):
    owner = cm("carla", "carla@city.example")
    referral = ReferralFactory(
        owner=owner, program__name="Emergency rent assistance", program__accept_within_days=3
    )
    made = timezone.make_aware(dt.datetime.combine(TODAY - dt.timedelta(days=20), dt.time(12)))
    Referral.objects.filter(pk=referral.pk).update(created_at=made, sent_at=made)
    followups_schedule(today=TODAY)
    assert overdue_notify(today=TODAY) == 1
    text = body(smtp.messages[0])
    assert f"Check in with {referral.resident} about Emergency rent assistance" in text
    assert "still waiting for the program to accept" in text
    assert f"/referrals/{referral.pk}/" in text


@pytest.mark.django_db
def test_with_the_server_down_nothing_is_marked_and_the_next_run_retries(smtp):
    carla = cm("carla", "carla@city.example")
    task = TaskFactory(case=CaseFactory(owner=carla), due_on=TODAY - dt.timedelta(days=1))
    smtp.stop()
    assert overdue_notify(today=TODAY) == 0
    task.refresh_from_db()
    assert task.overdue_notified_at is None
    smtp.start()
    assert overdue_notify(today=TODAY) == 1
    task.refresh_from_db()
    assert task.overdue_notified_at is not None


@pytest.mark.django_db
def test_one_refused_recipient_does_not_stop_the_others(smtp):
    refused, carla = cm("refused", REFUSED), cm("carla", "carla@city.example")
    lost = TaskFactory(case=CaseFactory(owner=refused), due_on=TODAY - dt.timedelta(days=1))
    delivered = TaskFactory(case=CaseFactory(owner=carla), due_on=TODAY - dt.timedelta(days=1))
    assert overdue_notify(today=TODAY) == 1
    assert [m["To"] for m in smtp.messages] == ["carla@city.example"]
    lost.refresh_from_db()
    delivered.refresh_from_db()
    assert lost.overdue_notified_at is None
    assert delivered.overdue_notified_at is not None
