"""Residents in households at the demo addresses, with phones, emails, consent and some demographics."""

from __future__ import annotations

from faker import Faker

from porchlight.demo.context import BuildContext, ascii_slug
from porchlight.people.models import Email, Household, Language, Phone, Resident

SPANISH_HOUSEHOLD_SHARE = 0.235  # with 90% of their members preferring Spanish: ~20% of residents
HOUSEHOLD_SIZES = ([1, 2, 3, 4, 5], [34, 31, 18, 12, 5])
AGE = ([a.value for a in Resident.AgeRange], [2, 12, 22, 19, 17, 15, 13])
GENDER = ([Resident.Gender.WOMAN, Resident.Gender.MAN, Resident.Gender.NONBINARY], [52, 46, 2])
# Mecklenburg County, roughly (census 2020); Hispanic households answer "hispanic" most of the time.
RACE = (
    [
        Resident.RaceEthnicity.WHITE,
        Resident.RaceEthnicity.BLACK,
        Resident.RaceEthnicity.ASIAN,
        Resident.RaceEthnicity.MULTIRACIAL,
        Resident.RaceEthnicity.NATIVE,
        Resident.RaceEthnicity.OTHER,
    ],
    [47, 40, 7, 4, 1, 1],
)
EMAIL_DOMAINS = ["example.com", "example.net", "example.org"]


def _phone_numbers(ctx: BuildContext, n: int) -> list[str]:
    """n distinct, valid US numbers in the 555 exchange, which is not assigned to subscribers."""
    space = [(area, line) for area in (704, 980) for line in range(100, 10000) if line != 1212]
    picked = ctx.rng.sample(space, k=n)
    return [f"+1{area}555{line:04d}" for area, line in picked]


def build_people(ctx: BuildContext) -> None:
    rng = ctx.rng
    fake_en, fake_es = Faker("en_US"), Faker("es_MX")
    fake_en.seed_instance(ctx.seed + 2)
    fake_es.seed_instance(ctx.seed + 3)
    doors = [a for a in ctx.address_rows if not a.do_not_contact]

    plans: list[tuple[int, bool]] = []  # (size, spanish) per household
    total = 0
    while total < ctx.n_residents:
        size = min(rng.choices(*HOUSEHOLD_SIZES)[0], ctx.n_residents - total)
        plans.append((size, rng.random() < SPANISH_HOUSEHOLD_SHARE))
        total += size
    addresses = rng.sample(doors, k=min(len(plans), len(doors)))
    plans = plans[: len(addresses)]
    households = Household.objects.bulk_create([Household(address=a) for a in addresses], batch_size=1000)
    outreach = [u for u in ctx.users if u.role == "outreach_worker"]

    residents: list[Resident] = []
    for household, (size, spanish) in zip(households, plans, strict=True):
        fake = fake_es if spanish else fake_en
        family_name = fake.last_name()
        for _ in range(size):
            last = family_name if rng.random() < 0.75 else fake.last_name()
            lang = Language.SPANISH if spanish and rng.random() < 0.9 else Language.ENGLISH
            race = ""
            if rng.random() < 0.55:
                race = (
                    Resident.RaceEthnicity.HISPANIC
                    if spanish and rng.random() < 0.9
                    else rng.choices(*RACE)[0]
                )
            residents.append(
                Resident(
                    client_id=ctx.uuid4(),
                    first_name=fake.first_name(),
                    last_name=last,
                    household=household,
                    address=household.address,
                    preferred_language=lang,
                    consent_to_contact=rng.random() < 0.68,
                    do_not_contact=rng.random() < 0.02,
                    age_range=rng.choices(*AGE)[0] if rng.random() < 0.6 else "",
                    gender=rng.choices(*GENDER)[0] if rng.random() < 0.6 else "",
                    race_ethnicity=race,
                    created_by=rng.choice(outreach) if outreach else None,
                )
            )
    Resident.objects.bulk_create(residents, batch_size=1000)
    ctx.residents = residents

    with_phone = [r for r in residents if rng.random() < 0.8]
    phones = [
        Phone(resident=r, number=n, is_primary=True)
        for r, n in zip(with_phone, _phone_numbers(ctx, len(with_phone)), strict=True)
    ]
    emails = []
    for r in residents:
        if rng.random() < 0.35:
            local = f"{ascii_slug(r.first_name)}.{ascii_slug(r.last_name)}{rng.randint(1, 99)}"
            emails.append(Email(resident=r, address=f"{local}@{rng.choice(EMAIL_DOMAINS)}"))
    Phone.objects.bulk_create(phones, batch_size=2000)
    Email.objects.bulk_create(emails, batch_size=2000)
    spanish_count = sum(r.preferred_language == Language.SPANISH for r in residents)
    ctx.progress(
        f"{len(residents)} residents in {len(households)} households "
        f"({spanish_count} prefer Spanish), {len(phones)} phones, {len(emails)} emails"
    )
