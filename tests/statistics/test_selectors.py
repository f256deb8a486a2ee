"""A quarter's counts, from a seeded set of concerns, against a hand-checked table."""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguarding.statistics.quarters import Quarter, quarters_recent
from safeguarding.statistics.selectors import quarter_figures

from .factories import at, concerns, decisions

pytestmark = pytest.mark.django_db


def test_a_quarter_is_counted_by_about_source_signs_and_decision():
    q1 = Quarter(2026, 1)
    children = concerns(6, when=at(2026, 1, 5), about="child", source="public", signs=["missing"])
    concerns(2, when=at(2026, 3, 31, 23), about="child", source="professional")
    adults = concerns(7, when=at(2026, 2, 10), about="adult", source="api")
    concerns(1, when=at(2026, 2, 11), about="not_sure", source="public", signs=["debt", "controlled"])
    # Outside the quarter: the day before and the moment after (London time).
    concerns(3, when=at(2025, 12, 31, 23), about="child")
    concerns(3, when=at(2026, 4, 1, 0), about="child")
    decisions(children[:5], code="no_further_action", when=at(2026, 3, 1))
    decisions(adults[:2], code="no_further_action", when=at(2026, 3, 2))
    decisions(adults[2:3], code="no_further_action", when=at(2026, 4, 2))  # next quarter

    figures = quarter_figures(quarter=q1)
    v = figures.values
    assert (v["received.child.public"], v["received.child.professional"], v["received.child.api"]) == (
        6,
        2,
        0,
    )
    assert (v["received.adult.public"], v["received.adult.professional"], v["received.adult.api"]) == (
        0,
        0,
        7,
    )
    assert v["received.not_sure.public"] == 1
    assert (v["received.child.all"], v["received.adult.all"], v["received.not_sure.all"]) == (8, 7, 1)
    assert (v["received.all.public"], v["received.all.professional"], v["received.all.api"]) == (7, 2, 7)
    assert v["received.all.all"] == 16
    assert (v["signs.child.with_signs"], v["signs.child.without_signs"]) == (6, 2)
    assert (v["signs.adult.with_signs"], v["signs.not_sure.with_signs"]) == (0, 1)
    assert (v["signs.all.with_signs"], v["signs.all.without_signs"]) == (7, 9)
    assert (v["decisions.no_further_action.child"], v["decisions.no_further_action.adult"]) == (5, 2)
    assert v["decisions.all.all"] == 7
    assert not figures.is_demo
    # Every sum holds.
    for equation in figures.equations:
        assert v[equation.total] == sum(v[part] for part in equation.parts)


def test_demo_concerns_mark_the_figures_as_demo():
    from tests.concerns.factories import ConcernRowFactory

    ConcernRowFactory(received_at=at(2026, 1, 5), idempotency_key="demo-linking-1")
    assert quarter_figures(quarter=Quarter(2026, 1)).is_demo


@pytest.mark.parametrize("text", ["2026-q0", "2026-q5", "26-q1", "2026-Q1x", "", "1999-q1", "2026-q1/"])
def test_quarter_text_that_names_no_quarter(text):
    assert Quarter.parse(text) is None


def test_quarters():
    q = Quarter.parse("2026-q4")
    assert q == Quarter(2026, 4)
    assert str(q) == "2026-q4"
    assert q.label == "October to December 2026"
    assert q.following() == Quarter(2027, 1)
    assert Quarter(2027, 1).preceding() == q
    assert q.start == at(2026, 10, 1, 0)
    assert q.end == at(2027, 1, 1, 0)
    assert quarters_recent(count=3, now=at(2026, 2, 1)) == [
        Quarter(2026, 1),
        Quarter(2025, 4),
        Quarter(2025, 3),
    ]


@settings(max_examples=200, deadline=None)
@given(text=st.text())
def test_any_quarter_text_gives_a_quarter_or_none(text):
    found = Quarter.parse(text)
    assert found is None or (str(found) == text and found.start < found.end)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=20))
def test_any_text_in_a_public_statistics_address_is_a_page_or_a_404(client, text):
    for path in (f"/statistics/{quote(text)}/", f"/statistics/{quote(text)}.csv"):
        assert client.get(path).status_code in (200, 301, 404)
