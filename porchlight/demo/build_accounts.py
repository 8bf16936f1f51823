"""Teams, staff and partner users; the program directory (partner organizations and their programs)."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.hashers import make_password
from faker import Faker

from porchlight.accounts.models import Team, User
from porchlight.accounts.roles import Role
from porchlight.demo.context import BuildContext, ascii_slug
from porchlight.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from porchlight.directory.hsds.services import HsdsImportError, hsds_import
from porchlight.directory.models import Organization, Program

DIRECTORY_JSON = Path(__file__).parent / "data" / "directory.json"
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


def build_accounts(ctx: BuildContext) -> None:
    rng = ctx.rng
    fake_en, fake_es = Faker("en_US"), Faker("es_MX")
    fake_en.seed_instance(ctx.seed)
    fake_es.seed_instance(ctx.seed + 1)

    teams = Team.objects.bulk_create([Team(name=name, kind=kind) for name, (kind, _, _) in TEAMS.items()])
    ctx.teams = {t.name: t for t in teams}

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
    ctx.progress(f"{len(ctx.teams)} teams, {len(ctx.users)} users")


def build_directory(ctx: BuildContext) -> None:
    """Load the Charlotte program directory (data/directory.json, HSDS JSON with eligibility rules).

    It goes through the same HSDS importer as a city's own 211 file, so the demo proves the importer on
    realistic data. Runs after the areas (programs name the areas they serve); partner organizations are then
    linked to their teams, whose case managers receive the referrals.
    """
    try:
        summary = hsds_import(data=DIRECTORY_JSON.read_bytes(), file_name=DIRECTORY_JSON.name, actor=None)
    except HsdsImportError as exc:
        problems = "; ".join(str(e) for e in exc.errors[:5])
        raise RuntimeError(f"The demo directory does not import: {problems}") from exc
    partners = {name: team for name, team in ctx.teams.items() if team.kind == P}
    for org in Organization.objects.filter(name__in=partners):
        org.team = partners[org.name]
        org.save(update_fields=["team"])
    ctx.programs = list(Program.objects.select_related("organization").order_by("hsds_id"))
    ctx.progress(f"Program directory: {summary}")


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
