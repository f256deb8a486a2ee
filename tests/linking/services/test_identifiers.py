"""A concern's identifiers: taken from its answers and text, cleaned, and keyed without plaintext."""

import pytest

from safeguarding.linking.keys import key_index
from safeguarding.linking.models import Identifier, IdentifierKey
from safeguarding.linking.services import concern_identifiers_refresh
from tests.concerns.conftest import database_text
from tests.concerns.factories import ConcernFactory

pytestmark = pytest.mark.django_db


def test_reported_identifiers_are_cleaned_and_keyed():
    concern = ConcernFactory(
        about="child",
        people=[{"role": "harming", "name": "Muhammad Aly", "nicknames": "Zeph, Big Z", "age": 30}],
        vehicles=[{"registration": "ab12 cde"}],
        phones=[{"number": "+44 (0)7700 900123"}],
        places=[{"venue": "The Larkspur Lodge", "postcode": "ne1 4st"}],
        online_accounts=[{"platform": "Insta", "handle": "@Zeph_Q"}],
    )
    concern_identifiers_refresh(concern=concern)
    kinds = {i.kind: i for i in Identifier.objects.filter(concern=concern)}
    assert kinds["phone"].normal == "+447700900123"
    assert kinds["vehicle"].normal == "AB12CDE"
    assert kinds["account"].normal == "zeph_q"
    assert kinds["person"].normal == "muhammad aly"
    keys = set(IdentifierKey.objects.filter(concern=concern).values_list("kind", "index"))
    assert ("phone", key_index("phone", "+447700900123")) in keys
    assert ("district", key_index("district", "NE1")) in keys
    assert ("nickname", key_index("nickname", "big z")) in keys
    assert ("name_block", key_index("name_block", "MHMT AL")) in keys


def test_a_number_that_cannot_be_cleaned_is_kept_and_marked():
    concern = ConcernFactory(phones=[{"number": "ring the flat bell twice"}])
    concern_identifiers_refresh(concern=concern)
    phone = Identifier.objects.get(concern=concern, kind="phone")
    assert (phone.value, phone.normalised) == ("ring the flat bell twice", False)


def test_numbers_in_the_narrative_are_suggestions_not_identifiers():
    concern = ConcernFactory(narrative="He rings her from 07700 900456 and drives AB12 CDE.")
    concern_identifiers_refresh(concern=concern)
    suggested = Identifier.objects.filter(concern=concern, origin="text")
    assert {(i.kind, i.status) for i in suggested} == {("phone", "suggested"), ("vehicle", "suggested")}
    assert not IdentifierKey.objects.filter(concern=concern).exists()


def test_refreshing_twice_changes_nothing_and_no_value_is_stored_in_plain_text():
    concern = ConcernFactory(phones=[{"number": "07700 900789"}])
    concern_identifiers_refresh(concern=concern)
    first = sorted(IdentifierKey.objects.filter(concern=concern).values_list("kind", "index"))
    concern_identifiers_refresh(concern=concern)
    assert sorted(IdentifierKey.objects.filter(concern=concern).values_list("kind", "index")) == first
    text = database_text()
    assert "900789" not in text
    assert "+447700900789" not in text
