"""Disclosure control: the threshold, rounding, secondary suppression, and an attacker who tries to
work every withheld figure out from everything published and fails (docs/decisions/0035)."""

from fractions import Fraction

import pytest

from safeguarding.statistics.disclosure import (
    DisclosureError,
    Equation,
    Status,
    disclosed_ranges,
    figure_round,
    primary_statuses,
    release_make,
    rounding_interval,
)

from .tables import two_way


def suppressed(release) -> dict[str, Status]:
    return {key: status for key, status in release.statuses.items() if status != Status.SHOWN}


def test_counts_below_the_threshold_are_primary_and_zero_is_shown():
    statuses = primary_statuses({"a": 0, "b": 1, "c": 4, "d": 5, "e": 40}, threshold=5)
    assert statuses == {
        "a": Status.SHOWN,
        "b": Status.FEWER,
        "c": Status.FEWER,
        "d": Status.SHOWN,
        "e": Status.SHOWN,
    }


def test_the_threshold_is_configurable():
    assert primary_statuses({"a": 9}, threshold=10) == {"a": Status.FEWER}
    assert primary_statuses({"a": 3}, threshold=3) == {"a": Status.SHOWN}


def test_a_table_with_nothing_small_is_shown_whole():
    values, equations = two_way("a", [[10, 20], [30, 40]])
    release = release_make(values, equations, threshold=5)
    assert suppressed(release) == {}
    assert release.shown == values


def test_one_small_cell_takes_the_smallest_cells_of_its_row_and_column_with_it():
    values, equations = two_way("a", [[3, 9, 50], [12, 40, 60], [30, 70, 80]])
    release = release_make(values, equations, threshold=5)
    assert release.statuses["a0.0"] == Status.FEWER
    # The next smallest in its row (9) and column (12), and the cell closing the rectangle (40).
    assert release.statuses["a0.1"] == Status.WITHHELD
    assert release.statuses["a1.0"] == Status.WITHHELD
    assert release.statuses["a1.1"] == Status.WITHHELD
    assert release.shown["a0.0"] is None
    assert release.shown["a0.T"] == 62
    ranges = disclosed_ranges(release, equations)
    assert ranges["a0.0"] == (Fraction(0), Fraction(4))
    assert all(high is None or high > low for low, high in ranges.values())


def test_a_small_total_is_withheld_too():
    values, equations = two_way("a", [[3, 0], [10, 20]])
    release = release_make(values, equations, threshold=5)
    assert release.statuses["a0.T"] == Status.FEWER
    assert all(high is None or high > low for low, high in disclosed_ranges(release, equations).values())


def test_a_figure_withheld_before_stays_withheld_when_the_quarter_is_published_again():
    values, equations = two_way("a", [[3, 9, 50], [12, 40, 60], [30, 70, 80]])
    first = release_make(values, equations, threshold=5)
    values_now, _ = two_way("a", [[6, 9, 50], [12, 40, 60], [30, 70, 80]])
    again = release_make(values_now, equations, threshold=5, earlier=[first])
    for key, status in first.statuses.items():
        if status != Status.SHOWN:
            assert again.statuses[key] != Status.SHOWN, key


def test_an_earlier_publication_cannot_pin_a_figure_withheld_now():
    # First published whole; later one cell drops below the threshold. Everything else unchanged, so
    # the earlier figures are known, and the small one must still not be recoverable.
    values, equations = two_way("a", [[6, 9, 50], [12, 40, 60], [30, 70, 80]])
    first = release_make(values, equations, threshold=5)
    assert suppressed(first) == {}
    values_now, _ = two_way("a", [[4, 9, 50], [12, 40, 60], [30, 70, 80]])
    again = release_make(values_now, equations, threshold=5, earlier=[first])
    ranges = disclosed_ranges(again, equations, earlier=[first])
    assert ranges["a0.0"][0] < (ranges["a0.0"][1] or 10**9)
    assert all(high is None or high > low for low, high in ranges.values())


@pytest.mark.parametrize(
    ("value", "base", "expected"),
    [(0, 5, 0), (2, 5, 0), (3, 5, 5), (7, 5, 5), (8, 5, 10), (14, 10, 10), (15, 10, 20), (7, None, 7)],
)
def test_figures_round_to_the_nearest_multiple_halves_up(value, base, expected):
    assert figure_round(value, base) == expected
    low, high = rounding_interval(expected, base)
    assert low <= value <= high


def test_rounding_intervals_hold_exactly_the_values_that_round_there():
    for base in (2, 3, 5, 10):
        for shown in range(0, 60, base):
            low, high = rounding_interval(shown, base)
            assert [v for v in range(0, 80) if figure_round(v, base) == shown] == list(range(low, high + 1))


def test_rounded_release_shows_rounded_figures():
    values, equations = two_way("a", [[12, 23], [31, 44]])
    release = release_make(values, equations, threshold=5, rounding=5)
    assert release.shown["a0.0"] == 10
    assert release.shown["a1.1"] == 45
    assert release.shown["aT.T"] == 110


def test_figures_that_do_not_add_up_are_refused():
    with pytest.raises(ValueError, match="sum"):
        release_make({"t": 5, "a": 1, "b": 1}, [Equation("t", ("a", "b"))])


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="negative"):
        release_make({"t": 0, "a": -1, "b": 1}, [Equation("t", ("a", "b"))])


def test_publishing_again_is_refused_when_nothing_withheld_could_protect_the_new_figures():
    # Row 0 drops to a total of 4: with the first publication's figures, the one changed cell (0)
    # and the unchanged cell below it (48) can be pinned whatever is withheld.
    values, equations = two_way("a", [[4, 3, 1], [48, 3, 6]])
    first = release_make(values, equations, threshold=5)
    values_now, _ = two_way("a", [[0, 3, 1], [48, 3, 6]])
    with pytest.raises(DisclosureError):
        release_make(values_now, equations, threshold=5, earlier=[first])
