"""Building two-way tables with their margins as disclosure-control figures and sums, for the tests."""

from safeguarding.statistics.disclosure import Equation


def two_way(prefix: str, grid: list[list[int]]) -> tuple[dict[str, int], list[Equation]]:
    """Cells "prefix r.c", row totals "prefix r.T", column totals "prefix T.c" and "prefix T.T"."""
    values: dict[str, int] = {}
    equations: list[Equation] = []
    rows, columns = len(grid), len(grid[0])
    for r in range(rows):
        for c in range(columns):
            values[f"{prefix}{r}.{c}"] = grid[r][c]
        values[f"{prefix}{r}.T"] = sum(grid[r])
        equations.append(Equation(f"{prefix}{r}.T", tuple(f"{prefix}{r}.{c}" for c in range(columns))))
    for c in range(columns):
        values[f"{prefix}T.{c}"] = sum(grid[r][c] for r in range(rows))
        equations.append(Equation(f"{prefix}T.{c}", tuple(f"{prefix}{r}.{c}" for r in range(rows))))
    values[f"{prefix}T.T"] = sum(map(sum, grid))
    equations.append(Equation(f"{prefix}T.T", tuple(f"{prefix}{r}.T" for r in range(rows))))
    equations.append(Equation(f"{prefix}T.T", tuple(f"{prefix}T.{c}" for c in range(columns))))
    return values, equations
