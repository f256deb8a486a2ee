"""The suppression property test: an attacker holding every published figure and total, and every
earlier publication of the quarter, solves an integer program (scipy's milp, independent of the exact
fractions the code uses) for the lowest and highest value of each withheld figure. The two must never
be equal (docs/decisions/0035)."""

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from safeguarding.statistics.disclosure import (
    DisclosureError,
    Equation,
    Release,
    Status,
    release_make,
    rounding_interval,
)

from .tables import two_way

scipy_optimize = pytest.importorskip("scipy.optimize")

BIG = 10**6


def attack(
    release: Release, equations: list[Equation], earlier: tuple[Release, ...] = ()
) -> dict[str, tuple[int, int]]:
    """The integer range of each withheld figure (current, and earlier as "n:key") given everything
    published; figures unchanged since an earlier publication are the same unknown in both."""
    names: dict[str, int] = {}
    lower: list[float] = []
    upper: list[float] = []
    targets: set[str] = set()

    def variable(name: str, low: float, high: float) -> int:
        if name not in names:
            names[name] = len(lower)
            lower.append(low)
            upper.append(high)
        else:
            i = names[name]
            lower[i], upper[i] = max(lower[i], low), min(upper[i], high)
        return names[name]

    rows: list[dict[int, int]] = []
    for number, published in enumerate((release, *earlier)):

        def name_of(key: str, number: int = number, published: Release = published) -> str:
            if number == 0 or release.values[key] == published.values[key]:
                return key
            return f"{number}:{key}"

        for key, status in published.statuses.items():
            if status == Status.SHOWN:
                low, high = rounding_interval(published.shown[key], published.rounding)
                variable(name_of(key), low, high)
            elif status == Status.FEWER:
                variable(name_of(key), 0, published.threshold - 1)
                targets.add(name_of(key))
            else:
                variable(name_of(key), published.threshold, BIG)
                targets.add(name_of(key))
        for equation in equations:
            row: dict[int, int] = {}
            row[names[name_of(equation.total)]] = 1
            for part in equation.parts:
                index = names[name_of(part)]
                row[index] = row.get(index, 0) - 1
            rows.append(row)
    matrix = np.zeros((len(rows), len(lower)))
    for r, row in enumerate(rows):
        for index, coefficient in row.items():
            matrix[r, index] = coefficient
    constraints = scipy_optimize.LinearConstraint(matrix, 0, 0)
    bounds = scipy_optimize.Bounds(lower, upper)
    ranges = {}
    for name in targets:
        found = []
        for sign in (1, -1):
            cost = np.zeros(len(lower))
            cost[names[name]] = sign
            result = scipy_optimize.milp(
                cost, constraints=constraints, bounds=bounds, integrality=np.ones(len(lower))
            )
            assert result.success, result.message
            found.append(round(result.x[names[name]]))
        ranges[name] = (found[0], found[1])
    return ranges


def assert_protected(release, equations, earlier=()):
    for name, (low, high) in attack(release, equations, tuple(earlier)).items():
        assert high > low, f"{name} is recoverable: it can only be {low}"


# Mostly small counts, so that there is something to protect, with some large ones.
counts = st.one_of(st.integers(0, 6), st.integers(0, 6), st.integers(5, 60))
grids = st.integers(2, 4).flatmap(
    lambda rows: st.integers(2, 4).flatmap(
        lambda columns: st.lists(
            st.lists(counts, min_size=columns, max_size=columns), min_size=rows, max_size=rows
        )
    )
)
# Each example solves two integer programs per withheld figure: kept few enough for the suite.
examples = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@examples
@given(grid=grids, threshold=st.sampled_from([3, 5]), rounding=st.sampled_from([None, None, 5]))
def test_no_withheld_figure_of_one_table_can_be_recovered(grid, threshold, rounding):
    values, equations = two_way("a", grid)
    release = release_make(values, equations, threshold=threshold, rounding=rounding)
    for key, value in values.items():
        if 0 < value < threshold:
            assert release.shown[key] is None, f"{key} = {value} was shown"
    assert_protected(release, equations)


@examples
@given(grid=grids, data=st.data())
def test_no_withheld_figure_can_be_recovered_through_a_second_table_sharing_its_totals(grid, data):
    # The second table splits each row total in two ("signs of exploitation" or not).
    values, equations = two_way("a", grid)
    split = [[first, sum(row) - first] for row in grid for first in [data.draw(st.integers(0, sum(row)))]]
    second, second_equations = two_way("b", split)
    renamed = {f"b{r}.T": f"a{r}.T" for r in range(len(grid))} | {"bT.T": "aT.T"}
    values |= {renamed.get(key, key): value for key, value in second.items()}
    equations += [
        Equation(renamed.get(eq.total, eq.total), tuple(renamed.get(part, part) for part in eq.parts))
        for eq in second_equations
    ]
    release = release_make(values, equations, threshold=5)
    assert_protected(release, equations)


@examples
@given(
    grid=grids,
    changes=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(-3, 3)), max_size=3),
)
def test_no_withheld_figure_can_be_recovered_with_an_earlier_publication_of_the_quarter(grid, changes):
    values, equations = two_way("a", grid)
    first = release_make(values, equations, threshold=5)
    changed = [row[:] for row in grid]
    for r, c, change in changes:
        r, c = r % len(grid), c % len(grid[0])
        changed[r][c] = max(0, changed[r][c] + change)
    values_now, _ = two_way("a", changed)
    try:
        again = release_make(values_now, equations, threshold=5, earlier=[first])
    except DisclosureError:
        # Nothing withheld could protect the new figures against the old: the quarter is not
        # published again (the service says so), which is safe.
        event("republication refused")
        return
    assert_protected(again, equations, [first])


@examples
@given(data=st.data())
def test_no_withheld_figure_of_the_published_tables_can_be_recovered(data):
    # The three tables a quarter publishes, with their shared totals, from random counts.
    from safeguarding.statistics.selectors import _ABOUT, _SIGNS, _SOURCE, TOTAL, Table, _with_total

    about = list(_ABOUT)
    options = [(f"option{i}", f"Option {i}") for i in range(data.draw(st.integers(1, 4)))]
    tables = [
        Table("received", "", "", _with_total(about), _with_total(_SOURCE)),
        Table("signs", "", "", _with_total(about), _with_total(_SIGNS)),
        Table("decisions", "", "", _with_total(options), _with_total(about)),
    ]
    interior = {}
    for a, _ in about:
        row = [data.draw(counts) for _ in _SOURCE]
        for (s, _), n in zip(_SOURCE, row, strict=True):
            interior[tables[0].key(a, s)] = n
        with_signs = data.draw(st.integers(0, sum(row)))
        interior[tables[1].key(a, "with_signs")] = with_signs
        interior[tables[1].key(a, "without_signs")] = sum(row) - with_signs
    for o, _ in options:
        for a, _ in about:
            interior[tables[2].key(o, a)] = data.draw(counts)
    values = dict(interior)
    for table in tables:
        rows = [code for code, _ in table.rows[:-1]]
        columns = [code for code, _ in table.columns[:-1]]
        for r in rows:
            values[table.key(r, TOTAL)] = sum(interior[table.key(r, c)] for c in columns)
        for c in columns:
            values[table.key(TOTAL, c)] = sum(interior[table.key(r, c)] for r in rows)
        values[table.key(TOTAL, TOTAL)] = sum(values[table.key(r, TOTAL)] for r in rows)
    equations = [equation for table in tables for equation in table.equations()]
    release = release_make(values, equations, threshold=5)
    assert_protected(release, equations)
