from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.Model):
    """A named piece of the city — a council district, a neighborhood profile area or a ZIP code."""

    class Kind(models.TextChoices):
        COUNCIL_DISTRICT = "council_district", _("Council district")
        NEIGHBORHOOD = "neighborhood", _("Neighborhood profile area")
        ZIP = "zip", _("ZIP code")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.CharField(
        _("code"), max_length=30, help_text=_("The area's id in its source, e.g. '28205'.")
    )
    name = models.CharField(_("name"), max_length=200)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(null=True, blank=True)
    # GeoJSON geometry (WGS84). Kept as JSON so SQLite needs no spatial extension; shapely does the maths.
    geometry = models.JSONField(_("geometry"))
    # Bounding box, so that candidate areas for a point can be found with plain indexed comparisons.
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="area_unique_kind_code")]

    def __str__(self) -> str:
        return self.name


class Building(models.Model):
    """A building that holds one or more addresses (units); attributes drive targeting later."""

    class Type(models.TextChoices):
        SINGLE_FAMILY = "single_family", _("Single-family house")
        MULTI_FAMILY = "multi_family", _("Apartment building")
        MIXED_USE = "mixed_use", _("Mixed use")
        OTHER = "other", _("Other")

    street = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2)
    zip_code = models.CharField(max_length=10)
    building_type = models.CharField(max_length=20, choices=Type.choices, default=Type.SINGLE_FAMILY)
    unit_count = models.PositiveIntegerField(default=1)
    rent_regulated = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["street", "city", "zip_code"], name="building_unique_street")
        ]

    def __str__(self) -> str:
        return f"{self.street}, {self.city}"


class Address(models.Model):
    """A place where residents live or can be reached: one door (a house, or one unit of a building)."""

    street = models.CharField(_("street"), max_length=200)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    city = models.CharField(_("city"), max_length=100)
    state = models.CharField(_("state"), max_length=2, default="NC")
    zip_code = models.CharField(_("ZIP code"), max_length=10)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    building = models.ForeignKey(
        Building, on_delete=models.SET_NULL, null=True, blank=True, related_name="addresses"
    )
    areas = models.ManyToManyField(Area, blank=True, related_name="addresses")
    do_not_contact = models.BooleanField(
        _("do not contact"), default=False, help_text=_("Never knock or mail here (e.g. a posted request).")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["street", "unit"]
        verbose_name_plural = "addresses"
        constraints = [
            models.UniqueConstraint(
                fields=["street", "unit", "city", "zip_code"], name="address_unique_door"
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True) | models.Q(latitude__gte=-90, latitude__lte=90),
                name="address_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="address_longitude_range",
            ),
        ]
        indexes = [models.Index(fields=["zip_code"])]

    def __str__(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.street}{unit}, {self.city} {self.zip_code}"

    @property
    def neighborhood(self) -> Area | None:
        return next((a for a in self.areas.all() if a.kind == Area.Kind.NEIGHBORHOOD), None)


class ImportJob(models.Model):
    """One upload of a CSV file of addresses or residents, and how far its import has got."""

    class Kind(models.TextChoices):
        ADDRESSES = "addresses", _("Addresses")
        RESIDENTS = "residents", _("Residents")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        VALIDATING = "validating", _("Checking rows")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    # The upload waits here until the job has read it; it is deleted once the job ends (it may hold PII).
    file = models.FileField(upload_to="imports/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(default=0)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    # The first errors only ({"line", "field", "message"}); error_count holds the total.
    errors = models.JSONField(default=list, blank=True)
    # Rows that were not errors but were not imported either ("already exists, skipped"); first ones only.
    notices = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The lease of the worker running the job: it renews heartbeat_at while alive; a job still checking or
    # importing whose heartbeat is older than PORCHLIGHT_IMPORT_LEASE_SECONDS is taken for dead and resumed.
    # Only the holder of lease_token may record the outcome (docs/decisions/0009-imports-in-the-worker.md).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    lease_token = models.CharField(max_length=32, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import of {self.file_name} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.VALIDATING, self.Status.IMPORTING}

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))
