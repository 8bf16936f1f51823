"""`manage.py import_csv`: the same service as the web page, printing errors and failing loudly."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from porchlight.accounts.models import AuditEvent
from porchlight.people.models import Resident
from porchlight.places.models import Address, ImportJob
from porchlight.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_imports_a_good_file_and_says_how_many(tmp_path, capsys):
    user = UserFactory(username="pm", role="program_manager")
    path = tmp_path / "addresses.csv"
    path.write_text("street,city,zip\n1 Main St,Charlotte,28202\n2 Main St,Charlotte,28202\n")
    call_command("import_csv", "addresses", str(path), "--user", "pm")
    assert "Imported 2 addresses" in capsys.readouterr().out
    assert Address.objects.count() == 2
    assert ImportJob.objects.get().created_by == user
    assert AuditEvent.objects.get(action="import").actor == user


def test_it_prints_errors_and_exits_non_zero_writing_nothing(tmp_path, capsys):
    path = tmp_path / "residents.csv"
    path.write_text("first_name,last_name,phone\nAna,Lopez,704-555-0134\nBo,Diaz,123\n")
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_csv", "residents", str(path))
    err = capsys.readouterr().err
    assert "residents.csv: line 3 [phone]: “123” is not a valid phone number" in err
    assert Resident.objects.count() == 0


def test_it_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_csv", "addresses", str(tmp_path / "nope.csv"))
