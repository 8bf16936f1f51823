from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from porchlight.places.models import Address


class Language(models.TextChoices):
    """Languages the city holds conversations in. Codes are ISO 639-1."""

    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    VIETNAMESE = "vi", _("Vietnamese")
    CHINESE = "zh", _("Chinese")
    ARABIC = "ar", _("Arabic")
    FRENCH = "fr", _("French")
    OTHER = "other", _("Other")


class Household(models.Model):
    """The people who live together at one address."""

    address = models.ForeignKey(Address, on_delete=models.PROTECT, related_name="households")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Household at {self.address}"


class LiveResidentManager(models.Manager):
    """Residents not merged into another record: what every list, search and count should see."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(merged_into__isnull=True)


class Resident(models.Model):
    """A person who lives in the city and whom the city talks with."""

    class AgeRange(models.TextChoices):
        UNDER_18 = "under_18", _("Under 18")
        AGE_18_24 = "18_24", "18–24"
        AGE_25_34 = "25_34", "25–34"
        AGE_35_44 = "35_44", "35–44"
        AGE_45_54 = "45_54", "45–54"
        AGE_55_64 = "55_64", "55–64"
        AGE_65_PLUS = "65_plus", _("65 or older")

    class Gender(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        NONBINARY = "nonbinary", _("Non-binary")
        SELF_DESCRIBED = "self_described", _("Self-described")

    class RaceEthnicity(models.TextChoices):
        BLACK = "black", _("Black or African American")
        WHITE = "white", _("White")
        HISPANIC = "hispanic", _("Hispanic or Latino")
        ASIAN = "asian", _("Asian")
        NATIVE = "native", _("American Indian or Alaska Native")
        PACIFIC = "pacific", _("Native Hawaiian or Pacific Islander")
        MULTIRACIAL = "multiracial", _("Two or more races")
        OTHER = "other", _("Other")

    client_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    address = models.ForeignKey(
        Address, on_delete=models.SET_NULL, null=True, blank=True, related_name="residents"
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    consent_to_contact = models.BooleanField(
        _("agrees to be contacted"),
        default=False,
        help_text=_("The resident said the city may contact them."),
    )
    do_not_contact = models.BooleanField(
        _("do not contact"), default=False, help_text=_("Never call, visit or mail this resident.")
    )
    # Self-reported, optional; only ever shown in aggregate outside the resident's own record.
    age_range = models.CharField(_("age range"), max_length=10, choices=AgeRange.choices, blank=True)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    race_ethnicity = models.CharField(
        _("race or ethnicity"), max_length=20, choices=RaceEthnicity.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when the resident's personal data was erased on their request; the row stays, anonymous,
    # so conversations, referrals and outcomes still count.
    erased_at = models.DateTimeField(null=True, blank=True)
    # Set when this record was merged into another (people/matching): the row stays, hidden, for the undo
    # window; its conversations, needs, cases... point at the kept record.
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    # Field lists more than one module needs, named once. Self-reported and optional:
    DEMOGRAPHIC_FIELDS = ("age_range", "gender", "race_ethnicity")
    # What staff set on the resident form and through resident_update (address, phones, emails aside):
    EDITABLE_FIELDS = (
        "first_name",
        "last_name",
        "preferred_language",
        "consent_to_contact",
        "do_not_contact",
        *DEMOGRAPHIC_FIELDS,
    )
    # The text that names or describes the person, blanked when they ask to be forgotten:
    PERSONAL_FIELDS = ("first_name", "last_name", *DEMOGRAPHIC_FIELDS)

    # The default manager hides records merged into another (target lists, walk lists, counts, reverse
    # relations such as address.residents); merging and undoing read every row through all_objects.
    all_objects = models.Manager()
    objects = LiveResidentManager()

    class Meta:
        base_manager_name = "all_objects"
        default_manager_name = "objects"
        ordering = ["last_name", "first_name", "id"]
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self) -> str:
        return self.full_name or _("Resident #%(pk)s") % {"pk": self.pk}

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)

    @property
    def may_be_contacted(self) -> bool:
        """True only when the resident agreed and neither they nor their door asked not to be contacted."""
        if self.do_not_contact or not self.consent_to_contact:
            return False
        return not (self.address is not None and self.address.do_not_contact)


class Phone(models.Model):
    """A phone number at which a resident can be reached, stored in E.164 form."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("phone number"), max_length=20, db_index=True)
    is_primary = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resident", "number"], name="phone_unique_per_resident")
        ]

    def __str__(self) -> str:
        from porchlight.people.contact import phone_display

        return phone_display(self.number)


class Email(models.Model):
    """An email address of a resident, stored lower-cased."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="emails")
    address = models.EmailField(_("email"), db_index=True)
    is_primary = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resident", "address"], name="email_unique_per_resident")
        ]

    def __str__(self) -> str:
        return self.address


# The matching sub-package's models live in this app (app label "people").
from porchlight.people.matching.models import MatchCandidate, ResidentMerge  # noqa: E402, F401
