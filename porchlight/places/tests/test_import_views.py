"""The import pages: who may see them, uploading a file, and following its job to the end."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from porchlight.places.models import Address, ImportJob

pytestmark = pytest.mark.django_db

ALLOWED = {"program_manager", "administrator"}
GOOD = b"street,city,zip,latitude,longitude\n1 Main St,Charlotte,28202,35.205,-80.895\n2 Main St,Charlotte,28202,,\n"  # noqa: E501


@pytest.fixture
def job(db):
    return ImportJob.objects.create(kind="addresses", file_name="x.csv", total_rows=10, processed_rows=5)


def urls(job: ImportJob) -> list[tuple[str, str]]:
    return [
        ("get", reverse("places:import_list")),
        ("get", reverse("places:import_detail", args=[job.pk])),
        ("get", reverse("places:import_template", args=["addresses"])),
        ("get", reverse("places:import_template", args=["residents"])),
        ("post", reverse("places:import_upload", args=["addresses"])),
    ]


@pytest.mark.parametrize(
    "persona", ["administrator", "program_manager", "outreach_worker", "case_manager", "analyst", "partner"]
)
def test_it_lets_only_importers_in(client, personas, job, persona):
    client.force_login(personas[persona])
    for method, url in urls(job):
        if method == "post":
            upload = SimpleUploadedFile("a.csv", GOOD, content_type="text/csv")
            response = client.post(url, {"addresses-file": upload})
            expected = 302 if persona in ALLOWED else 403
        else:
            response = getattr(client, method)(url)
            expected = 200 if persona in ALLOWED else 403
        assert response.status_code == expected, (persona, url)


def test_it_sends_anonymous_visitors_to_the_login_page(client, job):
    for method, url in urls(job):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_it_shows_upload_forms_templates_and_recent_jobs(client, personas, job):
    client.force_login(personas["program_manager"])
    page = client.get(reverse("places:import_list")).content.decode()
    assert 'class="usa-file-input"' in page and "x.csv" in page
    assert reverse("places:import_template", args=["residents"]) in page
    template = client.get(reverse("places:import_template", args=["addresses"]))
    assert template["Content-Type"].startswith("text/csv")
    assert template.content.decode().splitlines()[0].startswith("street,unit,city,state,zip")


def test_it_uploads_a_file_and_follows_the_job_to_done(
    client, personas, django_capture_on_commit_callbacks
):
    client.force_login(personas["program_manager"])
    upload = SimpleUploadedFile("addresses.csv", GOOD, content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):  # the immediate task backend runs the job
        response = client.post(
            reverse("places:import_upload", args=["addresses"]), {"addresses-file": upload}
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("places:import_detail", args=[job.pk])
    fragment = client.get(response.url, headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert "<html" not in html and 'id="import-status"' in html
    assert "Import finished" in html and "every 1s" not in html  # finished: polling stops
    assert Address.objects.count() == 2
    assert job.created_by == personas["program_manager"]


def test_it_polls_while_the_job_runs_and_shows_progress(client, personas, job):
    client.force_login(personas["administrator"])
    job.status = ImportJob.Status.VALIDATING
    job.save(update_fields=["status"])
    html = client.get(
        reverse("places:import_detail", args=[job.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert 'hx-trigger="every 1s"' in html and "Checking rows: 5 of 10" in html and 'value="50"' in html


def test_it_shows_the_error_table_of_a_failed_import(
    client, personas, django_capture_on_commit_callbacks
):
    client.force_login(personas["administrator"])
    upload = SimpleUploadedFile(
        "bad.csv", b"street,city,zip\n1 Main St,Charlotte,123\n", content_type="text/csv"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("places:import_upload", args=["addresses"]), {"addresses-file": upload})
    response = client.get(reverse("places:import_detail", args=[ImportJob.objects.get().pk]))
    html = response.content.decode()
    assert "Nothing was imported" in html and "<code>zip</code>" in html and "not a ZIP code" in html
    assert Address.objects.count() == 0


def test_it_rejects_a_file_that_is_not_csv_in_the_form(client, personas):
    client.force_login(personas["administrator"])
    upload = SimpleUploadedFile("book.xlsx", b"PK\x03\x04", content_type="application/octet-stream")
    response = client.post(reverse("places:import_upload", args=["residents"]), {"residents-file": upload})
    assert response.status_code == 400 and "Choose a .csv file" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_it_404s_an_unknown_kind(client, personas):
    client.force_login(personas["administrator"])
    assert client.get(reverse("places:import_template", args=["cats"])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_it_runs_the_job_through_the_task_backend_after_the_upload_commits(client, personas, settings):
    """The real path, no test hooks: the upload commits, the immediate task backend imports it."""
    client.force_login(personas["program_manager"])
    upload = SimpleUploadedFile("addresses.csv", GOOD, content_type="text/csv")
    client.post(reverse("places:import_upload", args=["addresses"]), {"addresses-file": upload})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.attempts == 1 and job.heartbeat_at is not None
    html = client.get(reverse("places:import_detail", args=[job.pk])).content.decode()
    assert "Import finished" in html
    assert Address.objects.count() == 2


def test_it_queues_a_task_for_the_worker_and_returns_at_once(
    client, personas, settings, django_capture_on_commit_callbacks
):
    """With a queueing backend the request only enqueues: no thread, no import in the web process."""
    import threading

    from django_tasks import task_backends

    from porchlight.places.imports.tasks import import_job_task

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    threads = threading.active_count()
    client.force_login(personas["program_manager"])
    upload = SimpleUploadedFile("addresses.csv", GOOD, content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("places:import_upload", args=["addresses"]), {"addresses-file": upload})
    job = ImportJob.objects.get()
    (result,) = task_backends["default"].results
    assert result.task.func is import_job_task.func and result.args == [job.pk]
    assert job.status == ImportJob.Status.QUEUED and threading.active_count() == threads
    assert Address.objects.count() == 0
    assert import_job_task.call(job.pk) == "done"  # what the worker then does
    assert Address.objects.count() == 2
