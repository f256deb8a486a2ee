"""Finding candidate pairs in SQL, over the blind indexes only, for one concern (the incremental path)
or for a range of concerns (the batch, `relink_all`); and scoring candidate pairs in batches through
`matching.pair_score`, the one scoring function, decrypting each concern's identifiers once per batch.

Candidates are concerns sharing a key (same kind, same index). Two kinds of key never make candidates:
the postcode district (a shared district alone is not a link), and any name or place key shared by
more than LINKING_KEY_MAX_CONCERNS concerns (a first name, a city-centre postcode: too common to tell
anyone apart, and comparing every pair of them would link everyone to everyone). Phones, vehicles and
accounts are never too common: a phone in a thousand concerns is exactly what the team needs to see.

No DuckDB, no Splink, no temporary files: the decrypted values live only in this process's memory for
the length of a batch (docs/decisions/0022 records why Splink is not used).
"""

from collections.abc import Iterator

from django.conf import settings
from django.db import connection

from .matching import ConcernProfile, PairScore, pair_score, profiles_load
from .models import IdentifierKey

Kind = IdentifierKey.Kind
# Keys too coarse to find candidates by, whatever their count.
NEVER_CANDIDATES = (Kind.DISTRICT,)
# Keys that stop finding candidates once shared by more than LINKING_KEY_MAX_CONCERNS concerns.
BROAD = (Kind.NAME, Kind.NAME_BLOCK, Kind.NICKNAME, Kind.PLACE, Kind.POSTCODE)


def _sql(where: str) -> str:
    table = connection.ops.quote_name(IdentifierKey._meta.db_table)
    index = connection.ops.quote_name("index")
    broad = ", ".join(f"'{kind}'" for kind in BROAD)
    never = ", ".join(f"'{kind}'" for kind in NEVER_CANDIDATES)
    # The count stops at the cap: a first name shared by 50,000 concerns costs no more than the cap.
    return (
        # Names from _meta and constants only; every value is a parameter.
        f"SELECT DISTINCT own.concern_id, other.concern_id FROM {table} own "  # noqa: S608  # nosec B608
        f"JOIN {table} other ON other.kind = own.kind AND other.{index} = own.{index} "
        f"WHERE {where} AND own.kind NOT IN ({never}) AND (own.kind NOT IN ({broad}) OR "
        f"(SELECT COUNT(*) FROM (SELECT 1 FROM {table} c WHERE c.kind = own.kind "
        f"AND c.{index} = own.{index} LIMIT %s) capped) <= %s)"
    )


def _cap() -> list[int]:
    cap = int(settings.LINKING_KEY_MAX_CONCERNS)
    return [cap + 1, cap]


def candidates_of(concern_id: int) -> list[int]:
    """The concerns sharing a key with this one: one SQL query, nothing decrypted."""
    with connection.cursor() as cursor:
        cursor.execute(
            _sql("own.concern_id = %s AND other.concern_id <> own.concern_id"), [concern_id, *_cap()]
        )
        return sorted({row[1] for row in cursor.fetchall()})


def candidate_pairs(first: int, last: int, *, common: "CommonKeys | None" = None) -> list[tuple[int, int]]:
    """Every candidate pair whose lower concern id is between first and last (inclusive), once.

    With `common` (the batch), the keys too common to find candidates by were counted once for the run;
    without, each key is counted as the query meets it (the incremental path, and the same result)."""
    where = "own.concern_id >= %s AND own.concern_id <= %s AND other.concern_id > own.concern_id"
    with connection.cursor() as cursor:
        if common is None:
            cursor.execute(_sql(where), [first, last, *_cap()])
        else:
            cursor.execute(common.sql(), [first, last])
        return sorted({(row[0], row[1]) for row in cursor.fetchall()})


class CommonKeys:
    """The broad keys shared by more than LINKING_KEY_MAX_CONCERNS identifiers, counted once for a batch
    run into a temporary table of this connection (a million concerns: one GROUP BY instead of a count
    for every key of every concern). Use as a context manager around the run."""

    TABLE = "linking_batch_common_keys"

    def __enter__(self) -> "CommonKeys":
        table = connection.ops.quote_name(IdentifierKey._meta.db_table)
        index = connection.ops.quote_name("index")
        broad = ", ".join(f"'{kind}'" for kind in BROAD)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.TABLE}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.TABLE} AS SELECT kind, {index} AS key_index "  # noqa: S608  # nosec B608
                f"FROM {table} WHERE kind IN ({broad}) GROUP BY kind, {index} HAVING COUNT(*) > %s",
                [int(settings.LINKING_KEY_MAX_CONCERNS)],
            )
            cursor.execute(f"CREATE INDEX {self.TABLE}_key ON {self.TABLE} (kind, key_index)")
        return self

    def __exit__(self, *exc: object) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.TABLE}")

    def sql(self) -> str:
        """The candidate pairs whose lower concern id is between two parameters (first, last). The
        range's own keys are chosen first, common ones left out, and only then joined: joined first, a
        first name shared by thousands would fetch every one of them before being dropped."""
        table = connection.ops.quote_name(IdentifierKey._meta.db_table)
        index = connection.ops.quote_name("index")
        never = ", ".join(f"'{kind}'" for kind in NEVER_CANDIDATES)
        materialized = "MATERIALIZED " if connection.vendor == "postgresql" else ""
        return (
            f"WITH own AS {materialized}(SELECT k.concern_id, k.kind, k.{index} FROM {table} k "  # noqa: S608  # nosec B608
            f"WHERE k.concern_id >= %s AND k.concern_id <= %s AND k.kind NOT IN ({never}) AND NOT EXISTS "
            f"(SELECT 1 FROM {self.TABLE} c WHERE c.kind = k.kind AND c.key_index = k.{index})) "
            f"SELECT DISTINCT own.concern_id, other.concern_id FROM own "
            f"JOIN {table} other ON other.kind = own.kind AND other.{index} = own.{index} "
            "WHERE other.concern_id > own.concern_id"
        )


def pairs_score(
    pairs: list[tuple[int, int]], profiles: dict[int, ConcernProfile]
) -> Iterator[tuple[int, int, PairScore]]:
    """Score each pair, loading (decrypting) the profiles not already in `profiles`, in one go."""
    missing = {pk for pair in pairs for pk in pair} - profiles.keys()
    if missing:
        profiles.update(profiles_load(missing))
    for low, high in pairs:
        if low in profiles and high in profiles:
            yield low, high, pair_score(profiles[low], profiles[high])
