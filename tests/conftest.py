"""Fixtures shared by the whole suite."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.test import Client

from safeguarding.core.page_cache import local_clear


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate-limit counters and cached public pages: no test inherits another's.
    cache.clear()
    local_clear()
    yield
    cache.clear()
    local_clear()


@pytest.fixture
def client() -> Client:
    # enforce_csrf_checks: forms must carry their token, as in a real browser.
    return Client(enforce_csrf_checks=True)


def html(response) -> BeautifulSoup:
    """The response body parsed, for assertions on what a person would see."""
    return BeautifulSoup(response.content, "html.parser")
