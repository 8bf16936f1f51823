import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _fresh_cache_and_language():
    """Area shapes and roll-ups are cached by area count and id (SQLite reuses ids after a rollback); and a
    request in Spanish leaves Spanish active in the thread, so each test starts in English."""
    cache.clear()
    translation.activate("en")
    yield
    cache.clear()
    translation.activate("en")
