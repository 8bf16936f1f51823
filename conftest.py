"""Shared fixtures: the personas every permission test uses."""

import pytest

from porchlight.accounts.models import Team
from porchlight.accounts.roles import Role
from porchlight.testing.factories import OrganizationFactory, TeamFactory, UserFactory


@pytest.fixture
def city_team(db):
    return TeamFactory(name="311 Customer Service", kind=Team.Kind.DEPARTMENT)


@pytest.fixture
def partner_team(db):
    team = TeamFactory(name="Legal Aid of the Carolinas", kind=Team.Kind.PARTNER)
    OrganizationFactory(name="Legal Aid of the Carolinas", team=team)
    return team


@pytest.fixture
def personas(db, city_team, partner_team):
    """One user per role in a city department, plus a partner-organization case manager."""
    users = {role.value: UserFactory(username=role.value, role=role, team=city_team) for role in Role}
    users["partner"] = UserFactory(username="partner", role=Role.CASE_MANAGER, team=partner_team)
    return users


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["porchlight.testing.hashers.FastArgon2PasswordHasher"]


NO_DELETE = "accounts_auditevent_no_delete"


@pytest.fixture(scope="session", autouse=True)
def _sqlite_flush_may_empty_the_audit_log():
    """Transactional tests end with Django's flush, which empties SQLite tables with DELETE; the audit log
    refuses DELETE (a trigger). Lift that one trigger for the flush only, and put it back in the same
    transaction. PostgreSQL flushes with TRUNCATE, which row triggers do not see (tests run as the owner)."""
    from django.db.backends.sqlite3.base import DatabaseOperations as SQLiteOperations

    original = SQLiteOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [NO_DELETE])
            row = cursor.fetchone()
        if row is None:
            return original(self, sql_list)
        return original(self, [f"DROP TRIGGER {NO_DELETE}", *sql_list, row[0]])

    SQLiteOperations.execute_sql_flush = execute_sql_flush
    yield
    SQLiteOperations.execute_sql_flush = original
