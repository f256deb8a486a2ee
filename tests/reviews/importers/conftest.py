"""Fixtures for the importer tests."""

import pytest

from safeguarding.partnership.services import partnership_pack_load

from .helpers import TESTBOROUGH_PARTNERSHIP


@pytest.fixture
def testborough(db):
    """The fictional Testborough partnership: boards tscp and tsab, two agencies, two contact points."""
    partnership_pack_load(path=TESTBOROUGH_PARTNERSHIP)
