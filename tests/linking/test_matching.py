"""pair_score: what makes two concerns probably or possibly about the same people or things, and why."""

import pytest

from safeguarding.linking.matching import ConcernProfile, pair_score, profiles_load
from safeguarding.linking.services import concern_identifiers_refresh
from tests.concerns.factories import ConcernFactory

pytestmark = pytest.mark.django_db


def _profiles(*answers: dict) -> list[ConcernProfile]:
    concerns = [ConcernFactory(**a) for a in answers]
    for concern in concerns:
        concern_identifiers_refresh(concern=concern)
    loaded = profiles_load(c.pk for c in concerns)
    return [loaded[c.pk] for c in concerns]


def _score(a: dict, b: dict):
    first, second = _profiles(a, b)
    return pair_score(first, second)


def test_one_phone_written_two_ways_is_a_probable_link_saying_which_number():
    score = _score({"phones": ["+44 (0)7700 900123"]}, {"phones": ["07700900123"]})
    assert score.strength == "probable"
    assert score.reasons == ["same phone +447700900123 in both"]
    assert 0.9 < score.score <= 1


def test_one_registration_written_three_ways_is_probable():
    first, second, third = _profiles(
        {"vehicles": ["ab12 cde"]}, {"vehicles": ["AB12CDE"]}, {"vehicles": ["AB-12-CDE"]}
    )
    for a, b in [(first, second), (first, third), (second, third)]:
        score = pair_score(a, b)
        assert (score.strength, score.reasons) == ("probable", ["same registration AB12 CDE in both"])


def test_a_registration_misread_is_only_ever_possible():
    score = _score({"vehicles": ["AB12 CDE"]}, {"vehicles": ["A812 CDE"]})
    assert score.strength == "possible"
    assert score.reasons == ["registration A812 CDE and AB12 CDE could be misread for each other"]


def test_a_misread_registration_beside_a_shared_phone_adds_a_reason_not_strength():
    score = _score(
        {"vehicles": ["AB12 CDE"], "phones": ["07700 900124"]},
        {"vehicles": ["A812 CDE"], "phones": ["07700 900124"]},
    )
    assert score.strength == "probable"
    assert score.reasons == [
        "same phone +447700900124 in both",
        "registration A812 CDE and AB12 CDE could be misread for each other",
    ]


def test_a_shared_postcode_district_alone_is_not_a_link():
    score = _score(
        {"places": [{"venue": "Fictional Lodge", "postcode": "NE1 4ST"}]},
        {"places": [{"venue": "Pretend Parade", "postcode": "NE1 7RU"}]},
    )
    assert score.strength is None
    assert score.reasons == []


def test_the_same_venue_is_probable_and_the_same_full_postcode_alone_possible():
    # A postcode is a street or part of one: measured on the planted population, probable postcode
    # links were a third of the false ones (test_matching_quality).
    postcode = _score({"places": [{"postcode": "ne1 4st"}]}, {"places": [{"postcode": "NE14ST"}]})
    assert (postcode.strength, postcode.reasons) == ("possible", ["same postcode NE1 4ST in both"])
    venue = _score(
        {"places": [{"venue": "The Larkspur Lodge", "postcode": "NE1 4ST"}]},
        {"places": [{"venue": "the  larkspur lodge!"}]},
    )
    assert venue.strength == "probable"
    assert venue.reasons == ["same place in both (The Larkspur Lodge, NE1 4ST / the larkspur lodge!)"]


def test_the_same_account_is_probable_and_the_same_handle_on_two_platforms_possible():
    account = _score(
        {"online_accounts": [{"platform": "Snap", "handle": "@Zeph_Q"}]},
        {"online_accounts": [{"platform": "snapchat", "handle": "zeph_q"}]},
    )
    assert (account.strength, account.reasons) == ("probable", ["same Snapchat account zeph_q in both"])
    handle = _score(
        {"online_accounts": [{"platform": "Snapchat", "handle": "@Zeph_Q"}]},
        {"online_accounts": [{"platform": "Instagram", "handle": "@zeph_q"}]},
    )
    assert (handle.strength, handle.reasons) == ("possible", ["same handle zeph_q on Snapchat and Instagram"])


def test_names_across_spellings_with_the_same_birth_year_are_probable():
    score = _score(
        {"people": [{"role": "harming", "name": "Mohammed Ali", "date_of_birth": "2001-03-12"}]},
        {"people": [{"role": "harming", "name": "Muhammad Aly", "date_of_birth": "2001-03-12"}]},
    )
    assert score.strength == "probable"
    assert score.reasons == ["names Mohammed Ali / Muhammad Aly, both born on 12 March 2001"]


def test_names_across_spellings_with_only_compatible_ages_are_possible_and_say_the_birth_years():
    """Birth years alone are not enough for names that are only alike: in a city's worth of concerns
    too many different people have names that sound alike and agreeing ages (bench/linking.py)."""
    score = _score(
        {"people": [{"role": "at_risk", "name": "Jayden Smith", "age": "15"}]},
        {"people": [{"role": "at_risk", "name": "Jaiden Smyth", "age": "15"}]},
    )
    assert score.strength == "possible"
    assert score.reasons == ["names Jayden Smith / Jaiden Smyth, both born between 2010 and 2011"]


def test_clearly_different_ages_make_a_spelling_match_nothing_and_an_exact_name_only_possible():
    fuzzy = _score(
        {"people": [{"role": "harming", "name": "Mohammed Ali", "age": "19"}]},
        {"people": [{"role": "harming", "name": "Muhammad Aly", "age": "52"}]},
    )
    assert fuzzy.strength is None
    exact = _score(
        {"people": [{"role": "harming", "name": "Mohammed Ali", "age": "19"}]},
        {"people": [{"role": "harming", "name": "Mohammed Ali", "age": "52"}]},
    )
    assert exact.strength == "possible"
    assert exact.reasons == [
        "same name Mohammed Ali in both, but born between 2006 and 2007 and between 1973 and 1974"
    ]


def test_a_name_without_ages_to_compare_is_only_possible():
    score = _score(
        {"people": [{"role": "harming", "name": "Orrin Fictional"}]},
        {"people": [{"role": "harming", "name": "Orrin Fictional", "age": "30"}]},
    )
    assert (score.strength, score.reasons) == (
        "possible",
        ["same name Orrin Fictional in both, no age to compare"],
    )


def test_a_common_first_name_alone_is_never_probable():
    same_age = _score(
        {"people": [{"role": "at_risk", "name": "Jay", "age": "14"}]},
        {"people": [{"role": "at_risk", "name": "Jay Fictional", "age": "14"}]},
    )
    assert same_age.strength == "possible"
    assert same_age.reasons == [
        "same first name Jay in both, and nothing more of the name, both born between 2011 and 2012"
    ]
    no_age = _score(
        {"people": [{"role": "at_risk", "name": "Jay"}]}, {"people": [{"role": "at_risk", "name": "Jay"}]}
    )
    assert no_age.strength is None


def test_a_nickname_is_possible_and_says_so():
    score = _score(
        {"people": [{"role": "harming", "nicknames": "Zeph, Big Z"}]},
        {"people": [{"role": "harming", "name": "Zeph"}]},
    )
    assert (score.strength, score.reasons) == ("possible", ["same nickname Zeph in both, no age to compare"])


def test_the_same_name_as_a_person_at_risk_and_a_person_causing_harm_is_only_possible():
    score = _score(
        {"people": [{"role": "at_risk", "name": "Casey Fictional", "age": "16"}]},
        {"people": [{"role": "harming", "name": "Casey Fictional", "age": "16"}]},
    )
    assert score.strength == "possible"
    assert score.reasons[0].endswith(
        "(a person at risk in one, a person who may be causing harm in the other)"
    )


def test_the_evidence_signature_is_stable_and_changes_with_new_evidence():
    a, b, c = _profiles(
        {"phones": ["07700 900125"]},
        {"phones": ["07700900125"]},
        {"phones": ["07700900125"], "vehicles": ["FT10 TST"]},
    )
    d = _profiles({"phones": ["07700 900125"], "vehicles": ["ft10tst"]})[0]
    assert pair_score(a, b).evidence == pair_score(a, b).evidence == pair_score(a, c).evidence
    assert pair_score(c, d).evidence != pair_score(a, b).evidence
    assert len(pair_score(c, d).evidence) == 64


def test_nothing_in_common_is_no_link():
    score = _score({"phones": ["07700 900126"]}, {"phones": ["07700 900127"]})
    assert (score.strength, score.score, score.reasons, score.evidence) == (None, 0.0, [], "")
