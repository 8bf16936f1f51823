"""Factories for cases, their notes, documents and tasks (the case-management tests)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from porchlight.accounts.roles import Role
from porchlight.cases.models import Case, CaseDocument, CaseNote, CaseStatusChange, Task
from porchlight.testing.factories import ResidentFactory, UserFactory


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    resident = factory.SubFactory(ResidentFactory)
    title = factory.Sequence(lambda n: f"Housing stability plan {n}")
    owner = factory.SubFactory(UserFactory, role=Role.CASE_MANAGER)
    team = factory.LazyAttribute(lambda o: o.owner.team)
    opened_by = factory.LazyAttribute(lambda o: o.owner)

    @factory.post_generation
    def _history(obj: Case, create: bool, extracted: object, **kwargs: Any) -> None:  # noqa: N805 - factory_boy's hook
        if create:
            CaseStatusChange.objects.create(
                case=obj, status=obj.status, changed_by=obj.opened_by, note="Opened"
            )


class CaseNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseNote

    case = factory.SubFactory(CaseFactory)
    author = factory.LazyAttribute(lambda o: o.case.owner)
    body = "Called the landlord; rent ledger shows two months behind."


class CaseDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseDocument

    case = factory.SubFactory(CaseFactory)
    name = factory.Sequence(lambda n: f"Document {n}")


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    case = factory.SubFactory(CaseFactory)
    title = factory.Sequence(lambda n: f"Plan step {n}")
    assigned_to = factory.LazyAttribute(lambda o: o.case.owner)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=3))
