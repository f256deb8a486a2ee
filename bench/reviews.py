"""Benchmark: the review page and search with 100 reviews and 5,000 recommendations.

Loads synthetic reviews into a separate benchmark database, then requests pages in-process through
Django's test client, so the times are server time (URL routing, middleware, queries, templates)
without network. Prints p50, p95 and max in milliseconds and the queries per request.

    .venv/bin/python bench/reviews.py                              # SQLite, var/bench.sqlite3
    .venv/bin/python bench/reviews.py --database-url postgres://postgres@127.0.0.1:5432/toolkit_bench

Target (issue 2): p95 under 100 ms for both pages, on both databases.
"""

import argparse
import random
import time

from common import ROOT, django_setup, measure, report

WORDS = [
    "exploitation",
    "grooming",
    "transition",
    "adulthood",
    "disruption",
    "perpetrators",
    "confidentiality",
    "sexual",
    "health",
    "evidence",
    "court",
    "victims",
    "support",
    "agencies",
    "police",
    "housing",
    "education",
    "missing",
    "episodes",
    "vulnerability",
    "consent",
    "coercion",
    "network",
    "vehicle",
    "hotel",
    "taxi",
    "online",
    "risk",
    "assessment",
    "supervision",
    "training",
    "strategy",
    "escalation",
    "information",
    "sharing",
    "voice",
    "family",
    "advocacy",
    "trauma",
    "care",
    "support",
    "needs",
    "boys",
    "men",
]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def populate(reviews: int, per_review: int) -> None:
    from django.db import transaction

    from safeguarding.partnership.models import Agency, Board
    from safeguarding.reviews.models import Finding, Recommendation, Review, Theme
    from safeguarding.reviews.search import search_index_review

    rng = random.Random(2018)
    Review.objects.filter(slug__startswith="bench-").delete()
    with transaction.atomic():
        board_c, _ = Board.objects.get_or_create(
            slug="bench-children",
            defaults={
                "name": "Bench children's partnership",
                "short_name": "BCP",
                "kind": Board.Kind.CHILDREN,
            },
        )
        board_a, _ = Board.objects.get_or_create(
            slug="bench-adults",
            defaults={"name": "Bench adults board", "short_name": "BAB", "kind": Board.Kind.ADULTS},
        )
        themes = [
            Theme.objects.get_or_create(slug=f"bench-theme-{i}", defaults={"name": f"Bench theme {i}"})[0]
            for i in range(12)
        ]
        agencies = [
            Agency.objects.get_or_create(slug=f"bench-agency-{i}", defaults={"name": f"Bench agency {i}"})[0]
            for i in range(10)
        ]
        for r in range(reviews):
            review = Review.objects.create(
                slug=f"bench-{r:03d}",
                title=f"Benchmark review {r}: {sentence(rng, 6)}",
                short_title=f"Benchmark review {r}",
                review_type=rng.choice(Review.Type.values),
                summary=" ".join(sentence(rng, 20) for _ in range(5)),
                is_demo=True,
                briefing_questions=[sentence(rng, 8) for _ in range(4)],
            )
            review.boards.set([board_c, board_a])
            findings = Finding.objects.bulk_create(
                Finding(
                    review=review, reference=f"F{i}", order=i, title=sentence(rng, 8), text=sentence(rng, 40)
                )
                for i in range(8)
            )
            recs = Recommendation.objects.bulk_create(
                Recommendation(
                    review=review,
                    reference=str(i + 1),
                    order=i,
                    title=sentence(rng, 10),
                    text=" ".join(sentence(rng, 15) for _ in range(3)),
                    finding=rng.choice(findings),
                    why=sentence(rng, 25),
                    addressee=rng.choice(Recommendation.Addressee.values),
                    audience=rng.choice(Recommendation.Audience.values),
                    public_status=rng.choice(Recommendation.PublicStatus.values),
                    what_changed=sentence(rng, 30),
                    practice_learning=" ".join(sentence(rng, 20) for _ in range(3)),
                    reflective_questions=[sentence(rng, 9) for _ in range(3)],
                )
                for i in range(per_review)
            )
            Theme_through = Recommendation.themes.through
            Theme_through.objects.bulk_create(
                Theme_through(recommendation=rec, theme=t) for rec in recs for t in rng.sample(themes, 2)
            )
            Agency_through = Recommendation.lead_agencies.through
            Agency_through.objects.bulk_create(
                Agency_through(recommendation=rec, agency=a) for rec in recs for a in rng.sample(agencies, 2)
            )
    for review in Review.objects.filter(slug__startswith="bench-"):
        search_index_review(review=review)
    from django.db import connection

    if connection.vendor == "postgresql":
        # What autovacuum would do soon after a real load: give the planner row counts.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    parser.add_argument("--reviews", type=int, default=100)
    parser.add_argument("--per-review", type=int, default=50)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--reuse", action="store_true", help="keep data from an earlier run")
    args = parser.parse_args()

    django_setup(args.database_url)
    import django
    from django.test import Client

    from safeguarding.reviews.models import Recommendation, Review

    if not args.reuse or not Review.objects.filter(slug__startswith="bench-").exists():
        start = time.perf_counter()
        populate(args.reviews, args.per_review)
        print(f"loaded in {time.perf_counter() - start:.1f} s")
    print(
        f"database: {django.db.connection.vendor}; reviews: {Review.objects.count()}; "
        f"recommendations: {Recommendation.objects.count()}"
    )

    client = Client()
    rng = random.Random(7)
    slugs = list(Review.objects.filter(slug__startswith="bench-").values_list("slug", flat=True))
    n = args.requests
    measure(client, [f"/reviews/{slugs[0]}/", "/reviews/?q=exploitation"])  # warm up
    suites = {
        "review page": [f"/reviews/{rng.choice(slugs)}/" for _ in range(n)],
        "review page, filtered": [
            f"/reviews/{rng.choice(slugs)}/?audience=adults&addressee=local" for _ in range(n)
        ],
        "recommendation page": [
            f"/reviews/{rng.choice(slugs)}/recommendations/{rng.randint(1, args.per_review)}/"
            for _ in range(n)
        ],
        "search, one word": [f"/reviews/?q={rng.choice(WORDS)}" for _ in range(n)],
        "search, two words": [f"/reviews/?q={rng.choice(WORDS)}+{rng.choice(WORDS)}" for _ in range(n)],
        "api review detail": [f"/api/v1/reviews/{rng.choice(slugs)}/" for _ in range(n // 3)],
    }
    for name, paths in suites.items():
        report(name, *measure(client, paths))


if __name__ == "__main__":
    main()
