"""Loading the partnership pack: boards, agencies and contact points, all or nothing, idempotent."""

import re

import pytest

from safeguarding.core.content_loading import ContentLoadError
from safeguarding.partnership.models import Agency, Board, ContactPoint, Partnership
from safeguarding.partnership.services import partnership_pack_load
from tests.partnership.factories import AgencyFactory, ContactPointFactory
from tests.reviews.importers.helpers import TESTBOROUGH_PARTNERSHIP, db_snapshot, write

pytestmark = pytest.mark.django_db


def test_loads_the_partnership_its_boards_agencies_and_contact_points():
    summary = partnership_pack_load(path=TESTBOROUGH_PARTNERSHIP)

    assert Partnership.objects.current().name == "Testborough Safeguarding Partnerships"
    assert sorted(Board.objects.values_list("slug", "kind")) == [("tsab", "adults"), ("tscp", "children")]
    assert Agency.objects.get(slug="testborough-police").sector == "police"
    assert list(ContactPoint.objects.values_list("slug", "order")) == [
        ("emergency", 0),
        ("children-front-door", 1),
    ]
    assert summary.created == {"partnership": 1, "board": 2, "agency": 2, "contact point": 2}


def test_loading_twice_changes_nothing():
    partnership_pack_load(path=TESTBOROUGH_PARTNERSHIP)
    before = db_snapshot()

    summary = partnership_pack_load(path=TESTBOROUGH_PARTNERSHIP)

    assert not summary.changed
    assert db_snapshot() == before


def test_contact_points_not_in_the_pack_are_removed_but_agencies_are_kept():
    ContactPointFactory(slug="old-line")
    AgencyFactory(slug="old-agency")

    summary = partnership_pack_load(path=TESTBOROUGH_PARTNERSHIP)

    assert not ContactPoint.objects.filter(slug="old-line").exists()
    assert Agency.objects.filter(slug="old-agency").exists()
    assert summary.removed == {"contact point": 1}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    kind: adults",
            "    kind: elders",
            ":14:11: boards[1].kind: Input should be 'children' or 'adults'",
        ),
        (
            "  - slug: tsab",
            "  - slug: tscp",
            ":11:11: boards[1].slug: 'tscp' is used twice (first on line 7)",
        ),
        ('    phone: "999"', "    phone:", ":27:11: contact_points[0].phone: this must not be empty"),
        (
            "  area: Testborough",
            "  area: Testborough\n  colour: red",
            ":5:3: partnership.colour: unknown key",
        ),
    ],
)
def test_an_error_names_the_line_and_column_and_changes_nothing(tmp_path, old, new, expected):
    partnership_pack_load(path=TESTBOROUGH_PARTNERSHIP)
    before = db_snapshot()
    text = TESTBOROUGH_PARTNERSHIP.read_text()
    assert old in text
    path = write(tmp_path, "partnership.yaml", text.replace(old, new, 1))

    with pytest.raises(ContentLoadError) as caught:
        partnership_pack_load(path=path)

    assert any(str(p).startswith(f"{path}{expected}") for p in caught.value.problems), str(caught.value)
    assert db_snapshot() == before


def test_an_agency_name_held_by_another_agency_is_refused(tmp_path):
    AgencyFactory(slug="police-old", name="Testborough Police")

    with pytest.raises(
        ContentLoadError, match=re.escape("agencies[0].name: the agency 'police-old' already has this name")
    ):
        partnership_pack_load(path=TESTBOROUGH_PARTNERSHIP)

    assert not Partnership.objects.exists()
