"""The demo city's sign-ins: one memorable username per role, all with the same public demo password."""

from __future__ import annotations

from dataclasses import dataclass

from porchlight.accounts.roles import Role

DEMO_PASSWORD = "porchlight-demo"  # noqa: S105 - a public demo password, printed by `manage.py demo_logins`
DEMO_URL = "http://127.0.0.1:8000/"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    team: str
    first_name: str
    last_name: str
    languages: tuple[str, ...] = ("en",)


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("admin", Role.ADMINISTRATOR, "Community Relations Committee", "Alex", "Admin"),
    DemoLogin(
        "manager", Role.PROGRAM_MANAGER, "Housing & Neighborhood Services", "Monica", "Reyes", ("en", "es")
    ),
    DemoLogin(
        "ambassador", Role.OUTREACH_WORKER, "Community Relations Committee", "Andre", "Baker", ("en", "es")
    ),
    DemoLogin("casemanager", Role.CASE_MANAGER, "Housing & Neighborhood Services", "Carla", "Mitchell"),
    DemoLogin("analyst", Role.ANALYST, "311 Customer Service", "Anita", "Lee"),
    DemoLogin("partner", Role.CASE_MANAGER, "Legal Aid of North Carolina – Charlotte", "Paul", "Turner"),
)
