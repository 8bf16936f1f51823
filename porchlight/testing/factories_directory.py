"""Factories for the program directory: locations, and a small directory that uses every HSDS field."""

from __future__ import annotations

import factory

from porchlight.directory.models import EligibilityRule, Location, Organization, Program
from porchlight.places.models import Area
from porchlight.testing.factories import AreaFactory, OrganizationFactory, ProgramFactory


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Office {n}")
    address_1 = "600 E Trade St"
    city = "Charlotte"
    state_province = "NC"
    postal_code = "28202"
    latitude = 35.2251
    longitude = -80.8394


def directory_sample() -> dict[str, object]:
    """Two organizations, a location, three programs (one inactive), areas of every kind, rules."""
    district = AreaFactory(kind=Area.Kind.COUNCIL_DISTRICT, code="2", name="Council District 2")
    zip_area = AreaFactory(kind=Area.Kind.ZIP, code="28208", name="ZIP 28208")
    hood = AreaFactory(name="NPA 301 · near Reid Park")
    legal = Organization.objects.create(
        name="Legal Aid of North Carolina – Charlotte",
        description="Free civil legal help.",
        website="https://www.legalaidnc.org/",
        email="charlotte@example.org",
        phone="+17045550100",
    )
    crisis = Organization.objects.create(name="Crisis Assistance Ministry")
    office = LocationFactory(
        organization=legal, name="Charlotte office", transportation="CATS bus 9, stop at Trade St"
    )
    tenant = ProgramFactory(
        organization=legal,
        name="Tenant legal help",
        category=Program.Category.LEGAL,
        description="Advice and court representation for tenants facing eviction.",
        phone="+17045550101",
        email="tenants@example.org",
        url="https://www.legalaidnc.org/tenants",
        languages=["en", "es", "vi"],
        eligibility_description="Tenants in Mecklenburg County.",
        application_process="Call the intake line, Monday to Friday.",
        required_documents="Photo ID\nLease\nEviction notice",
        fees_description="Free",
        accept_within_days=2,
    )
    tenant.areas_served.set([district, zip_area, hood])
    tenant.locations.set([office])
    EligibilityRule.objects.create(
        program=tenant, question="tenure", operator="is", value="renter", explanation="Rents their home"
    )
    EligibilityRule.objects.create(program=tenant, question="income", operator="ami_at_most", value="60")
    rent = ProgramFactory(
        organization=crisis,
        name="Emergency rent assistance",
        category=Program.Category.HOUSING,
        languages=["en"],
    )
    closed = ProgramFactory(
        organization=crisis, name="Winter fuel fund", category=Program.Category.UTILITIES, is_active=False
    )
    return {
        "legal": legal,
        "crisis": crisis,
        "office": office,
        "tenant": tenant,
        "rent": rent,
        "closed": closed,
        "district": district,
        "zip": zip_area,
        "hood": hood,
    }
