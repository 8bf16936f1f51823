"""The program & resource directory (shaped after Open Referral HSDS 3.0) and eligibility rules as data."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from porchlight.accounts.models import Team
from porchlight.places.models import Area


def new_hsds_id() -> str:
    return str(uuid.uuid4())


class Organization(models.Model):
    """An agency or nonprofit that runs programs residents can be referred to (HSDS `organization`)."""

    # HSDS ids are kept so a directory exported and re-imported updates rows instead of duplicating them.
    hsds_id = models.CharField(max_length=100, unique=True, default=new_hsds_id, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    # A partner organization's users log in through this team and see only referrals to its programs.
    team = models.OneToOneField(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="organization"
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    """A place where an organization delivers services (HSDS `location` + `address`)."""

    hsds_id = models.CharField(max_length=100, unique=True, default=new_hsds_id, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="locations", verbose_name=_("organization")
    )
    name = models.CharField(_("name"), max_length=200)
    address_1 = models.CharField(_("street address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state_province = models.CharField(_("state"), max_length=50, blank=True)
    postal_code = models.CharField(_("ZIP code"), max_length=20, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    transportation = models.CharField(_("getting there"), max_length=300, blank=True)

    class Meta:
        ordering = ["organization__name", "name"]

    def __str__(self) -> str:
        return self.name


class Program(models.Model):
    """A service or program a resident can be referred to (HSDS `service`)."""

    # Set in memory only, by the directory's list view, for its template.
    language_names: list[str]
    phone_label: str

    class Category(models.TextChoices):
        HOUSING = "housing", _("Housing")
        LEGAL = "legal", _("Legal / tenant help")
        EMPLOYMENT = "employment", _("Jobs and training")
        HEALTH = "health", _("Health coverage")
        UTILITIES = "utilities", _("Utilities")
        FOOD = "food", _("Food")
        SAFETY = "safety", _("Safety")
        BUSINESS = "business", _("Small business")
        YOUTH = "youth", _("Youth")
        OTHER = "other", _("Other")

    hsds_id = models.CharField(max_length=100, unique=True, default=new_hsds_id, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="programs", verbose_name=_("organization")
    )
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.TextField(_("description"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    url = models.URLField(_("web page"), blank=True)
    languages = models.JSONField(
        _("languages served"), default=list, blank=True, help_text=_("Language codes, e.g. ['en', 'es'].")
    )
    eligibility_description = models.TextField(_("who is eligible"), blank=True)
    application_process = models.TextField(_("how to apply"), blank=True)
    required_documents = models.TextField(
        _("what to bring"), blank=True, help_text=_("One document per line, e.g. 'Photo ID'.")
    )
    fees_description = models.CharField(_("fees"), max_length=300, blank=True)
    # No areas means the program serves the whole city.
    areas_served = models.ManyToManyField(
        Area, blank=True, related_name="programs", verbose_name=_("areas served")
    )
    locations = models.ManyToManyField(
        Location, blank=True, related_name="programs", verbose_name=_("locations")
    )
    # Closed-loop referrals: a referral still "sent" after this many days is flagged as overdue.
    accept_within_days = models.PositiveSmallIntegerField(
        _("days to accept a referral"), default=3
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="program_unique_name_per_org")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def documents(self) -> list[str]:
        return [line.strip() for line in self.required_documents.splitlines() if line.strip()]


class AreaMedianIncome(models.Model):
    """One row of the area median income (AMI) table: 100% AMI for a household size, for a year.

    Income rules read this table ("at or below 60% of AMI for the household size"), so a program manager
    updates it each spring when HUD publishes new limits; no code changes.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    household_size = models.PositiveSmallIntegerField(_("household size"))
    income = models.PositiveIntegerField(_("100% of area median income (yearly, $)"))

    class Meta:
        ordering = ["-year", "household_size"]
        constraints = [
            models.UniqueConstraint(fields=["year", "household_size"], name="ami_unique_year_size"),
            models.CheckConstraint(
                condition=models.Q(household_size__gte=1), name="ami_household_size_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}, {self.household_size} people: ${self.income:,}"


class EligibilityRule(models.Model):
    """One condition a household must meet for a program. All of a program's rules must hold."""

    class Question(models.TextChoices):
        HOUSEHOLD_SIZE = "household_size", _("Household size")
        INCOME = "income", _("Yearly household income")
        AGE = "age", _("Age")
        TENURE = "tenure", _("Rents or owns")
        RENT_REGULATED = "rent_regulated", _("Lives in a rent-regulated home")
        HEALTH_COVERAGE = "health_coverage", _("Has health coverage")
        EMPLOYMENT = "employment", _("Employment status")
        AREA = "area", _("Neighborhood")

    class Operator(models.TextChoices):
        AT_MOST = "at_most", _("is at most")
        AT_LEAST = "at_least", _("is at least")
        AMI_AT_MOST = "ami_at_most", _("is at most this % of area median income")
        IS = "is", _("is")
        ONE_OF = "one_of", _("is one of")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="rules")
    question = models.CharField(_("question"), max_length=20, choices=Question.choices)
    operator = models.CharField(_("condition"), max_length=20, choices=Operator.choices)
    # Numbers, yes/no ("true"/"false"), a choice's code, or several codes separated by commas.
    value = models.CharField(_("value"), max_length=200)
    # Shown to the worker as the reason the program matched, e.g. "Income at or below 60% of AMI".
    explanation = models.CharField(_("reason shown when it matches"), max_length=300, blank=True)

    class Meta:
        ordering = ["program", "id"]

    def __str__(self) -> str:
        return f"{self.get_question_display()} {self.get_operator_display()} {self.value}"


class Screening(models.Model):
    """A resident's answers to the screener and the programs it found. Sensitive: read is audit-logged."""

    resident = models.ForeignKey(
        "people.Resident", on_delete=models.CASCADE, related_name="screenings"
    )
    conversation = models.ForeignKey(
        "outreach.Conversation", on_delete=models.SET_NULL, null=True, blank=True, related_name="screenings"
    )
    screened_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="screenings"
    )
    answers = models.JSONField(default=dict)
    # Program ids with the matched reasons, as shown at the time (rules may change later).
    results = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Screening of {self.resident} on {self.created_at:%Y-%m-%d}"
