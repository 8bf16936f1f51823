"""Teams, staff and partner users, partner organizations and the programs residents are referred to."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from faker import Faker

from porchlight.accounts.models import Team, User
from porchlight.accounts.roles import Role
from porchlight.demo.context import BuildContext, ascii_slug
from porchlight.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from porchlight.services.models import Organization, Program

D, P = Team.Kind.DEPARTMENT, Team.Kind.PARTNER
OW, CM, PM, AN, AD = (
    Role.OUTREACH_WORKER,
    Role.CASE_MANAGER,
    Role.PROGRAM_MANAGER,
    Role.ANALYST,
    Role.ADMINISTRATOR,
)

# team name -> (kind, website for partners, {role: how many}); 160 users in all.
TEAMS: dict[str, tuple[str, str, dict[str, int]]] = {
    "311 Customer Service": (D, "", {OW: 13, PM: 1, AN: 1, CM: 1}),
    "Charlotte Water": (D, "", {OW: 7, PM: 1}),
    "Housing & Neighborhood Services": (D, "", {OW: 12, CM: 6, PM: 2, AN: 2}),
    "Police Community Engagement": (D, "", {OW: 14, PM: 1, AN: 1}),
    "Solid Waste Services": (D, "", {OW: 7, PM: 1}),
    "Charlotte Area Transit": (D, "", {OW: 7, PM: 1}),
    "Community Relations Committee": (D, "", {AD: 2, OW: 8, PM: 2, AN: 2}),
    "Youth Council": (Team.Kind.YOUTH_COUNCIL, "", {OW: 20}),
    "Civic Academy Graduates": (Team.Kind.CIVIC_ACADEMY, "", {OW: 18}),
    "Legal Aid of North Carolina – Charlotte": (P, "https://www.legalaidnc.org/", {CM: 6, PM: 1, OW: 1}),
    "Crisis Assistance Ministry": (P, "https://www.crisisassistance.org/", {CM: 5, PM: 1}),
    "Charlotte Works": (P, "https://www.charlotteworks.com/", {CM: 4, PM: 1, OW: 1}),
    "Carolinas CARE Partnership": (P, "https://www.carolinascare.org/", {CM: 4, PM: 1}),
    "Care Ring": (P, "https://carering.org/", {CM: 4, PM: 1}),
}

# Organizations without Porchlight users: referrals to them are owned by a city case manager.
OTHER_ORGANIZATIONS = {
    "City of Charlotte – Housing & Neighborhood Services": "https://www.charlottenc.gov/hns",
    "Loaves & Fishes": "https://www.loavesandfishes.org/",
    "Second Harvest Food Bank of Metrolina": "https://www.secondharvestmetrolina.org/",
    "Central Piedmont Community College": "https://www.cpcc.edu/",
    "Charlotte-Mecklenburg Police Department": "https://www.charlottenc.gov/cmpd",
    "Community Relations Committee": "https://www.charlottenc.gov/crc",
}

C = Program.Category
# (organization, program, category, description)
PROGRAMS: list[tuple[str, str, str, str]] = [
    (
        "Legal Aid of North Carolina – Charlotte",
        "Tenant legal help and eviction defense",
        C.LEGAL,
        "Free advice and representation for tenants facing eviction, bad conditions or lockouts.",
    ),
    (
        "Legal Aid of North Carolina – Charlotte",
        "Fair housing and anti-harassment",
        C.LEGAL,
        "Help for tenants harassed by a landlord or refused housing unfairly.",
    ),
    (
        "Crisis Assistance Ministry",
        "Emergency rent assistance",
        C.HOUSING,
        "One-time help with past-due rent to prevent an eviction.",
    ),
    (
        "Crisis Assistance Ministry",
        "Utility bill assistance",
        C.UTILITIES,
        "Help with past-due Duke Energy, Piedmont Natural Gas and water bills.",
    ),
    (
        "City of Charlotte – Housing & Neighborhood Services",
        "Affordable housing waitlist and HouseCharlotte",
        C.HOUSING,
        "Placement on affordable rental waitlists and down-payment help for first-time buyers.",
    ),
    (
        "City of Charlotte – Housing & Neighborhood Services",
        "Homelessness prevention",
        C.HOUSING,
        "Case management and short-term help for households about to lose their home.",
    ),
    (
        "Carolinas CARE Partnership",
        "Health insurance enrollment",
        C.HEALTH,
        "Navigators who help residents enrol in a marketplace plan or Medicaid.",
    ),
    ("Care Ring", "Physicians Reach Out", C.HEALTH, "Low-cost primary care through volunteer physicians."),
    (
        "Charlotte Works",
        "Workforce development and job placement",
        C.EMPLOYMENT,
        "Career coaching, résumé help and hiring events.",
    ),
    (
        "Central Piedmont Community College",
        "Apprenticeship Charlotte",
        C.EMPLOYMENT,
        "Paid apprenticeships in skilled trades with local employers.",
    ),
    (
        "Charlotte Works",
        "Small business support",
        C.EMPLOYMENT,
        "Permits, business plans and microloans for small and home-based businesses.",
    ),
    (
        "Charlotte Works",
        "Youth employment (Mayor's Youth Employment Program)",
        C.EMPLOYMENT,
        "Summer internships for residents aged 16–18.",
    ),
    ("Loaves & Fishes", "Emergency food pantry", C.FOOD, "A week of groceries from a pantry near home."),
    (
        "Second Harvest Food Bank of Metrolina",
        "Mobile food pantry",
        C.FOOD,
        "Monthly mobile pantry stops at schools and churches.",
    ),
    (
        "Charlotte-Mecklenburg Police Department",
        "Victim services",
        C.SAFETY,
        "Support, safety planning and court accompaniment for victims of crime.",
    ),
    (
        "Charlotte-Mecklenburg Police Department",
        "Neighborhood watch and home security checks",
        C.SAFETY,
        "Officers help start a watch group or check a home's locks and lighting.",
    ),
    (
        "Community Relations Committee",
        "Community mediation",
        C.OTHER,
        "Free mediation of disputes between neighbors, tenants and landlords.",
    ),
]


def build_accounts(ctx: BuildContext) -> None:
    rng = ctx.rng
    fake_en, fake_es = Faker("en_US"), Faker("es_MX")
    fake_en.seed_instance(ctx.seed)
    fake_es.seed_instance(ctx.seed + 1)

    teams = Team.objects.bulk_create([Team(name=name, kind=kind) for name, (kind, _, _) in TEAMS.items()])
    ctx.teams = {t.name: t for t in teams}
    orgs = [
        Organization(name=name, team=ctx.teams[name], website=site)
        for name, (kind, site, _) in TEAMS.items()
        if kind == P
    ]
    orgs += [Organization(name=name, website=site) for name, site in OTHER_ORGANIZATIONS.items()]
    org_by_name = {o.name: o for o in Organization.objects.bulk_create(orgs)}
    ctx.programs = Program.objects.bulk_create(
        [
            Program(
                organization=org_by_name[org],
                name=name,
                category=cat,
                description=desc,
                phone=f"+1704555{rng.randint(100, 199):04d}",
            )
            for org, name, cat, desc in PROGRAMS
        ]
    )

    # Argon2 is deliberately slow: hash the one demo password once and give every user the same hash.
    password = make_password(DEMO_PASSWORD)
    pending = {(login.team, login.role): login for login in DEMO_LOGINS}
    used: set[str] = {login.username for login in DEMO_LOGINS}
    users = []
    for team_name, (_, _, roles) in TEAMS.items():
        for role, count in roles.items():
            for _ in range(count):
                login = pending.pop((team_name, role), None)
                if login is not None:
                    users.append(
                        _user(
                            login.username,
                            login.first_name,
                            login.last_name,
                            role,
                            ctx.teams[team_name],
                            list(login.languages),
                            password,
                        )
                    )
                    continue
                spanish = rng.random() < 0.18
                fake = fake_es if spanish else fake_en
                first, last = fake.first_name(), fake.last_name().split(" ")[0]
                base = f"{ascii_slug(first)}.{ascii_slug(last)}"
                username, n = base, 1
                while username in used:
                    n += 1
                    username = f"{base}{n}"
                used.add(username)
                languages = ["en", "es"] if spanish or rng.random() < 0.08 else ["en"]
                users.append(_user(username, first, last, role, ctx.teams[team_name], languages, password))
    ctx.users = User.objects.bulk_create(users)
    ctx.progress(
        f"{len(ctx.teams)} teams, {len(ctx.users)} users, {len(org_by_name)} organizations, "
        f"{len(ctx.programs)} programs"
    )


def _user(
    username: str, first: str, last: str, role: str, team: Team, languages: list[str], password: str
) -> User:
    return User(
        username=username,
        first_name=first,
        last_name=last,
        email=f"{username}@example.org",
        role=role,
        team=team,
        languages=languages,
        password=password,
        is_staff=role == Role.ADMINISTRATOR,
        is_superuser=role == Role.ADMINISTRATOR,
    )
