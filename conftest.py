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
