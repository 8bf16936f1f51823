"""Fixtures for the import tests: uploads land in a temporary MEDIA_ROOT; areas come with a fresh index."""

from __future__ import annotations

import pytest

from porchlight.places.geo import area_index_reset
from porchlight.testing.factories import AreaFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    area_index_reset()
    yield
    area_index_reset()


@pytest.fixture
def neighborhoods(db):
    """Two square neighborhoods side by side: (-80.9..-80.89, 35.2..35.21) and (-80.88..-80.87, ...)."""
    areas = [AreaFactory(code="1000"), AreaFactory(code="1001")]
    area_index_reset()
    return areas
