"""Disclosure control for published counts: which figures are withheld, and proof that none can be
worked out (docs/decisions/0035).

Pure functions over a set of figures ("cells", each a key and a whole-number count) and the sums that
tie them together (`Equation`: a total and its parts, such as a row total and the cells of its row).
Several tables may share figures (the same "concerns about children" total in two tables): a key is
one figure wherever it appears.

1. **Primary suppression.** A count from 1 to threshold - 1 (settings.STATISTICS_THRESHOLD, default 5)
   is never shown: it reads "fewer than 5". Zero is shown, unless withheld as in 2.
2. **Secondary suppression.** Then an attacker is played: one who knows every shown figure, every sum,
   that a "fewer than 5" figure is 0 to 4 (a zero may be withheld this way), that a "withheld" figure
   is 5 or more, that rounded figures lie within their rounding, and, for a quarter published again,
   every earlier publication of it and which of its figures have changed since. For every withheld
   figure the attacker's exact lowest and highest possible value are computed by linear programming
   in exact fractions (`_Simplex`, no floating point). Where any are equal, a figure is disclosed: of
   the shown figures of 5 or more sharing a sum with a disclosed one (zeros only if there are none),
   the one whose withholding leaves fewest disclosed is withheld too (ties: a cell before a total,
   then the smallest); repeat until none is disclosed. Figures tied by no sum (separate tables) are
   protected separately. A figure withheld in an earlier publication of the
   quarter stays withheld; one shown before and unchanged is never withheld (it is known already).
3. **Rounding** (settings.STATISTICS_ROUNDING, default none): shown figures are rounded to the nearest
   multiple of the base, halves up, each on its own (totals are rounded from the true total, so a
   column may not add up to its rounded total); the attacker then knows each shown figure only within
   its rounding interval.

The bounds are those of the linear relaxation. For one table with its margins the constraint matrix
is totally unimodular, so they are the whole-number bounds too; the property tests check every case
against an integer program (scipy's milp) as the attacker.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

Bound = tuple[Fraction, Fraction | None]  # lowest and highest (None: no upper limit)


class Status(StrEnum):
    SHOWN = "shown"
    # Shown as "fewer than 5": a count from 1 to 4, or a zero withheld to protect one.
    FEWER = "fewer"
    # Shown as "withheld": a count of 5 or more withheld so that a small one cannot be worked out.
    WITHHELD = "withheld"


SUPPRESSED = frozenset({Status.FEWER, Status.WITHHELD})


@dataclass(frozen=True)
class Equation:
    """`total` is the sum of `parts`."""

    total: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class Release:
    """One publication of a set of figures: the true counts, what happened to each, and the figures
    shown (rounded if rounding is on; None where withheld)."""

    values: Mapping[str, int]
    statuses: Mapping[str, Status]
    shown: Mapping[str, int | None]
    threshold: int
    rounding: int | None = None


class DisclosureError(Exception):
    """The figures cannot be protected by withholding more of them."""


def figure_round(value: int, base: int | None) -> int:
    """`value` rounded to the nearest multiple of `base`, halves up (no rounding when base is None or 1)."""
    if not base or base <= 1:
        return value
    return base * ((value + base // 2) // base)


def rounding_interval(shown: int, base: int | None) -> tuple[int, int]:
    """The whole numbers that round to `shown`."""
    if not base or base <= 1:
        return shown, shown
    return max(0, shown - base // 2), shown + (base - base // 2) - 1


def primary_statuses(values: Mapping[str, int], *, threshold: int) -> dict[str, Status]:
    """Each figure's status after primary suppression alone."""
    return {key: Status.FEWER if 0 < value < threshold else Status.SHOWN for key, value in values.items()}


def release_make(
    values: Mapping[str, int],
    equations: Sequence[Equation],
    *,
    threshold: int = 5,
    rounding: int | None = None,
    earlier: Sequence[Release] = (),
) -> Release:
    """Primary and secondary suppression and rounding of `values`: what may be published.

    Raises DisclosureError if no further figure can be withheld and one is still disclosed. Figures
    tied by no sum to each other (separate tables) are protected separately."""
    _check_equations(values, equations)
    merged: dict[str, Release] = {}
    for keys, tied in _components(values, equations):
        part = {key: values[key] for key in keys}
        old = [_restrict(release, keys) for release in earlier]
        merged[min(keys)] = _release_component(part, tied, threshold, rounding, old)
    return Release(
        values=dict(values),
        statuses={key: status for r in merged.values() for key, status in r.statuses.items()},
        shown={key: shown for r in merged.values() for key, shown in r.shown.items()},
        threshold=threshold,
        rounding=rounding,
    )


def _components(
    values: Mapping[str, int], equations: Sequence[Equation]
) -> list[tuple[set[str], list[Equation]]]:
    """The figures in groups tied together by sums, each with its sums."""
    parent = {key: key for key in values}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for equation in equations:
        for part in equation.parts:
            parent[root(part)] = root(equation.total)
    groups: dict[str, set[str]] = {}
    for key in values:
        groups.setdefault(root(key), set()).add(key)
    return [
        (keys, [equation for equation in equations if equation.total in keys]) for keys in groups.values()
    ]


def _restrict(release: Release, keys: set[str]) -> Release:
    return Release(
        values={key: value for key, value in release.values.items() if key in keys},
        statuses={key: status for key, status in release.statuses.items() if key in keys},
        shown={key: shown for key, shown in release.shown.items() if key in keys},
        threshold=release.threshold,
        rounding=release.rounding,
    )


def _release_component(
    values: Mapping[str, int],
    equations: Sequence[Equation],
    threshold: int,
    rounding: int | None,
    earlier: Sequence[Release],
) -> Release:
    statuses = primary_statuses(values, threshold=threshold)
    for release in earlier:
        for key, status in release.statuses.items():
            if status in SUPPRESSED and statuses.get(key) == Status.SHOWN:
                # Withheld once, withheld in every later publication.
                statuses[key] = Status.WITHHELD if values[key] >= threshold else Status.FEWER
    is_total = {equation.total for equation in equations}
    # Withholding a figure shown exactly in an earlier publication, and unchanged since, hides nothing.
    known_before = {
        key
        for old in earlier
        if not old.rounding or old.rounding <= 1
        for key, status in old.statuses.items()
        if status == Status.SHOWN and old.values.get(key) == values.get(key)
    }
    release = _release(values, statuses, threshold, rounding)
    exposed = _disclosed(release, equations, earlier)
    while exposed:
        best: tuple[tuple[int, bool, int, str], Release, set[str]] | None = None
        for key in _complements(exposed, values, statuses, equations, is_total, known_before, threshold):
            status = Status.WITHHELD if values[key] >= threshold else Status.FEWER
            trial = _release(values, {**statuses, key: status}, threshold, rounding)
            still = _disclosed(trial, equations, earlier)
            rank = (len(still), key in is_total, values[key], key)
            if best is None or rank < best[0]:
                best = (rank, trial, still)
            if not still:
                break
        if best is None:  # _complements raises rather than return nothing
            raise DisclosureError("No figure left to withhold")
        _, release, exposed = best
        statuses = dict(release.statuses)
    return release


def disclosed_ranges(
    release: Release, equations: Sequence[Equation], *, earlier: Sequence[Release] = ()
) -> dict[str, Bound]:
    """For every withheld figure (of this release, and of the earlier ones as "n:key"), the lowest and
    highest value an attacker can work out from everything published. Protected when they differ."""
    system = _System.build(release, equations, earlier)
    return {name: system.bounds(name) for name in system.targets}


def _release(
    values: Mapping[str, int], statuses: Mapping[str, Status], threshold: int, rounding: int | None
) -> Release:
    shown = {
        key: figure_round(values[key], rounding) if statuses[key] == Status.SHOWN else None for key in values
    }
    return Release(dict(values), dict(statuses), shown, threshold, rounding)


def _check_equations(values: Mapping[str, int], equations: Iterable[Equation]) -> None:
    for equation in equations:
        missing = [key for key in (equation.total, *equation.parts) if key not in values]
        if missing:
            raise ValueError(f"No figure for {missing}")
        if values[equation.total] != sum(values[part] for part in equation.parts):
            raise ValueError(f"{equation.total} is not the sum of its parts")
    if any(value < 0 for value in values.values()):
        raise ValueError("Counts cannot be negative")


def _disclosed(release: Release, equations: Sequence[Equation], earlier: Sequence[Release]) -> set[str]:
    """The keys of the withheld figures the attacker can pin to one value."""
    system = _System.build(release, equations, earlier)
    found = set()
    for name in system.targets:
        low, high = system.bounds(name)
        if high is not None and high == low:
            found.add(name.split(":", 1)[1] if ":" in name else name)
    return found


# How many of the smallest candidates are tried each time a figure must be added.
_CANDIDATES_TRIED = 8


def _complements(
    exposed: set[str],
    values: Mapping[str, int],
    statuses: Mapping[str, Status],
    equations: Sequence[Equation],
    is_total: set[str],
    known_before: set[str],
    threshold: int,
) -> list[str]:
    """The figures that might be withheld next to protect the `exposed` ones, most likely first: shown
    figures of threshold or more sharing a sum with one of them, cells before totals, smallest first;
    failing those, zeros sharing a sum; failing those, the same anywhere."""

    def eligible(key: str) -> bool:
        return (
            statuses[key] == Status.SHOWN
            and (values[key] == 0 or values[key] >= threshold)
            and key not in known_before
        )

    def order(key: str) -> tuple[bool, int, str]:
        return (key in is_total, values[key], key)

    near = {
        key
        for equation in equations
        if equation.total in exposed or exposed.intersection(equation.parts)
        for key in (equation.total, *equation.parts)
        if eligible(key)
    }
    anywhere = {key for key in values if eligible(key)}
    # A zero withheld protects little and must be protected itself: only when nothing else will do.
    for group in (near, anywhere):
        for zero in (False, True):
            found = sorted((key for key in group if (values[key] == 0) == zero), key=order)
            if found:
                return found[:_CANDIDATES_TRIED]
    raise DisclosureError(f"{sorted(exposed)} cannot be protected by withholding more figures")


@dataclass
class _System:
    """The attacker's knowledge as linear constraints: bounds on each unknown, and sums."""

    names: list[str] = field(default_factory=list)
    bounds_of: dict[str, list[Fraction | None]] = field(default_factory=dict)
    rows: list[tuple[dict[str, int], Fraction]] = field(default_factory=list)  # sum(coef * name) = rhs
    targets: list[str] = field(default_factory=list)
    known: dict[str, Fraction] = field(default_factory=dict)  # figures the attacker knows exactly

    @classmethod
    def build(cls, release: Release, equations: Sequence[Equation], earlier: Sequence[Release]) -> "_System":
        system = cls()
        system._add(release, equations, lambda key: key)
        for number, old in enumerate(earlier, start=1):
            # A figure unchanged since the earlier publication is the same unknown in both (the attacker
            # is assumed to know which figures changed); a changed one is an unknown of its own.
            system._add(
                old,
                equations,
                lambda key, number=number, old=old: (
                    key if release.values.get(key) == old.values.get(key) else f"{number}:{key}"
                ),
            )
        return system

    def _add(self, release: Release, equations: Sequence[Equation], name_of) -> None:  # type: ignore[no-untyped-def]
        for key, status in release.statuses.items():
            name = name_of(key)
            if name in self.known:
                continue
            if status == Status.SHOWN:
                low, high = rounding_interval(release.shown[key] or 0, release.rounding)
                if low == high and name not in self.bounds_of:
                    self.known[name] = Fraction(low)
                    continue
                self._bound(name, Fraction(low), Fraction(high))
            elif status == Status.FEWER:
                self._bound(name, Fraction(0), Fraction(release.threshold - 1))
                if name not in self.targets:
                    self.targets.append(name)
            else:
                self._bound(name, Fraction(release.threshold), None)
                if name not in self.targets:
                    self.targets.append(name)
        for equation in equations:
            coefficients: dict[str, int] = {}
            rhs = Fraction(0)
            for key, sign in ((equation.total, 1), *((part, -1) for part in equation.parts)):
                name = name_of(key)
                if name in self.known:
                    rhs -= sign * self.known[name]
                else:
                    coefficients[name] = coefficients.get(name, 0) + sign
            coefficients = {name: c for name, c in coefficients.items() if c}
            if coefficients:
                self.rows.append((coefficients, rhs))

    def _bound(self, name: str, low: Fraction, high: Fraction | None) -> None:
        if name not in self.bounds_of:
            self.names.append(name)
            self.bounds_of[name] = [low, high]
            return
        bound = self.bounds_of[name]
        bound[0] = max(bound[0] or Fraction(0), low)
        if high is not None:
            bound[1] = high if bound[1] is None else min(bound[1], high)

    def bounds(self, name: str) -> Bound:
        simplex = _Simplex(self.names, self.bounds_of, self.rows)
        low = simplex.optimum(name, minimise=True)
        if low is None:  # every unknown is at least zero, so this cannot happen
            raise DisclosureError("No lowest value")
        return low, simplex.optimum(name, minimise=False)


class _Simplex:
    """A small dense simplex method over exact fractions, with Bland's rule (it cannot cycle).

    Variables are shifted to start at zero (y = x - low); an upper limit becomes a row y + s = high - low.
    Phase one finds a feasible basis with artificial variables; each objective then starts from it.
    """

    def __init__(
        self,
        names: list[str],
        bounds_of: Mapping[str, Sequence[Fraction | None]],
        rows: Sequence[tuple[Mapping[str, int], Fraction]],
    ) -> None:
        self.index = {name: i for i, name in enumerate(names)}
        self.low = [Fraction(bounds_of[name][0] or 0) for name in names]
        n = len(names)
        equality: list[tuple[list[Fraction], Fraction]] = []
        for coefficients, rhs in rows:
            row = [Fraction(0)] * n
            shifted = Fraction(rhs)
            for name, coefficient in coefficients.items():
                row[self.index[name]] += coefficient
                shifted -= coefficient * self.low[self.index[name]]
            equality.append((row, shifted))
        uppers = [(i, high) for i, name in enumerate(names) if (high := bounds_of[name][1]) is not None]
        self.width = n + len(uppers) + len(equality)  # structural, slack, artificial
        self.artificial_from = n + len(uppers)
        self.table: list[list[Fraction]] = []
        self.rhs: list[Fraction] = []
        self.basis: list[int] = []
        for slack, (i, high) in enumerate(uppers):
            row = [Fraction(0)] * self.width
            row[i] = Fraction(1)
            row[n + slack] = Fraction(1)
            room = high - self.low[i]
            if room < 0:
                raise DisclosureError("Inconsistent figures")
            self.table.append(row)
            self.rhs.append(room)
            self.basis.append(n + slack)
        for number, (coefficients_row, shifted) in enumerate(equality):
            sign = -1 if shifted < 0 else 1
            row = [sign * c for c in coefficients_row] + [Fraction(0)] * (self.width - n)
            row[self.artificial_from + number] = Fraction(1)
            self.table.append(row)
            self.rhs.append(sign * shifted)
            self.basis.append(self.artificial_from + number)
        self._phase_one()

    def _phase_one(self) -> None:
        cost = [Fraction(0)] * self.width
        for column in range(self.artificial_from, self.width):
            cost[column] = Fraction(1)
        if self._minimise(cost, self.width) is None or any(
            self.rhs[r] != 0 for r, column in enumerate(self.basis) if column >= self.artificial_from
        ):
            raise DisclosureError("Inconsistent figures")
        # Drive artificial variables at zero out of the basis; a row with nothing else is redundant.
        for r in reversed(range(len(self.basis))):
            if self.basis[r] < self.artificial_from:
                continue
            replacement = next((c for c in range(self.artificial_from) if self.table[r][c] != 0), None)
            if replacement is None:
                del self.table[r], self.rhs[r], self.basis[r]
            else:
                self._pivot(r, replacement)
        self.phase_one = ([row[:] for row in self.table], self.rhs[:], self.basis[:])

    def optimum(self, name: str, *, minimise: bool) -> Fraction | None:
        """The lowest (or highest) value of `name`; None if it has no upper limit."""
        table, rhs, basis = self.phase_one
        self.table, self.rhs, self.basis = [row[:] for row in table], rhs[:], basis[:]
        cost = [Fraction(0)] * self.width
        i = self.index[name]
        cost[i] = Fraction(1 if minimise else -1)
        value = self._minimise(cost, self.artificial_from)
        if value is None:
            return None
        return self.low[i] + (value if minimise else -value)

    def _minimise(self, cost: list[Fraction], columns: int) -> Fraction | None:
        """Minimise cost . y using columns below `columns` only; None if unbounded below."""
        while True:
            reduced = list(cost)
            value = Fraction(0)
            for r, column in enumerate(self.basis):
                c = cost[column]
                if c:
                    row = self.table[r]
                    for j in range(columns):
                        if row[j]:
                            reduced[j] -= c * row[j]
                    value += c * self.rhs[r]
            entering = next((j for j in range(columns) if reduced[j] < 0), None)
            if entering is None:
                return value
            leaving = None
            best: tuple[Fraction, int] | None = None
            for r, row in enumerate(self.table):
                if row[entering] > 0:
                    ratio = (self.rhs[r] / row[entering], self.basis[r])
                    if best is None or ratio < best:
                        best, leaving = ratio, r
            if leaving is None:
                return None
            self._pivot(leaving, entering)

    def _pivot(self, r: int, column: int) -> None:
        pivot_row = self.table[r]
        pivot = pivot_row[column]
        if pivot != 1:
            self.table[r] = pivot_row = [value / pivot for value in pivot_row]
            self.rhs[r] /= pivot
        nonzero = [j for j, value in enumerate(pivot_row) if value]
        for other, row in enumerate(self.table):
            factor = row[column]
            if other != r and factor:
                for j in nonzero:
                    row[j] -= factor * pivot_row[j]
                self.rhs[other] -= factor * self.rhs[r]
        self.basis[r] = column
