"""Benchmark: learning across reviews (issue 13, docs/decisions/0036).

1. Time to work out similar recommendations (`similarities_recompute`, forced) for N reviews of
   --per-review recommendations each, with synthetic texts drawn from overlapping topics so that
   similar pairs exist. Prints seconds, recommendations and similar pairs kept, for each N.
2. The public recommendation page p95 with the "Similar recommendations in other reviews" panel, on
   the largest N, beside the same page without the panel and a bare Django view (`/bench/bare/`)
   measured in the same run, through Django's test client (server time, no network): once with the
   page cache off (every request renders), once as served (page cache on, after a first visit).

    .venv/bin/python bench/learning.py                        # SQLite, var/bench-learning.sqlite3
    .venv/bin/python bench/learning.py --database-url postgres://postgres@127.0.0.1:5432/toolkit_bench_learning
    .venv/bin/python bench/learning.py --reviews 10 100 1000 --per-review 20 --requests 300
"""

import argparse
import datetime
import os
import random
import time

from common import ROOT, django_setup, measure, report

PREFIX = "benchlearn-"
TOPICS = [
    "share information risk front door same day agencies know referral",
    "transition planning adult services birthday seventeen support carries",
    "perpetrators disruption police powers investigate prosecute vehicles phones",
    "victims evidence court trial special measures support prosecution",
    "sexual health clinic confidentiality identify victims exploitation",
    "boys young men recognise exploitation leaflets services",
    "professional curiosity training practitioners record worried ask",
    "missing episodes return home interviews coordinator",
    "self neglect hoarding pathway lead home refuses help",
    "housing hostel placement young adult known offenders",
    "school exclusion alternative provision designated safeguarding lead",
    "mental capacity assessment coercion choice adult protect law",
    "domestic abuse risk assessment conference advocates",
    "supervision caseloads managers reflective practice",
    "escalation disagreements professionals resolution protocol",
]
GENERAL = [
    "agencies",
    "partnership",
    "board",
    "practitioners",
    "staff",
    "services",
    "people",
    "person",
    "child",
    "children",
    "adults",
    "family",
    "plan",
    "work",
    "together",
    "local",
    "national",
    "guidance",
    "policy",
    "training",
    "review",
    "learning",
]


def text(rng: random.Random, topic: str, n: int) -> str:
    words = topic.split()
    picks = [rng.choice(words) if rng.random() < 0.6 else rng.choice(GENERAL) for _ in range(n)]
    return " ".join(picks).capitalize() + "."


def clear() -> None:
    from safeguarding.reviews.models import Review

    Review.objects.filter(slug__startswith=PREFIX).delete()


def populate(*, reviews: int, per_review: int) -> None:
    from django.db import transaction

    from safeguarding.reviews.models import Recommendation, Review

    rng = random.Random(2018)
    clear()
    with transaction.atomic():
        made = Review.objects.bulk_create(
            Review(
                slug=f"{PREFIX}{r:05d}",
                title=f"Learning benchmark review {r}",
                short_title=f"Learning benchmark {r}",
                review_type=Review.Type.SAFEGUARDING_ADULTS_REVIEW,
                published_on=datetime.date(2010 + r % 15, 1 + r % 12, 1),
                summary="A synthetic review for the learning benchmark.",
                is_demo=True,
            )
            for r in range(reviews)
        )
        recommendations = []
        for review in made:
            for i in range(per_review):
                topic = rng.choice(TOPICS)
                recommendations.append(
                    Recommendation(
                        review=review,
                        reference=str(i + 1),
                        order=i,
                        title=text(rng, topic, 8),
                        text=text(rng, topic, 35),
                        addressee=Recommendation.Addressee.LOCAL,
                        audience=Recommendation.Audience.BOTH,
                    )
                )
        Recommendation.objects.bulk_create(recommendations, batch_size=5000)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'var' / 'bench-learning.sqlite3'}")
    parser.add_argument("--reviews", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--per-review", type=int, default=20)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    django_setup(args.database_url)

    from django.test import Client, override_settings

    from safeguarding.core.page_cache import local_clear
    from safeguarding.learning import services
    from safeguarding.reviews import panels
    from safeguarding.reviews.models import Recommendation

    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    print(f"database {args.database_url.split('://', 1)[0]}; {args.per_review} recommendations a review")
    # The bench times the recompute itself: no recompute queued (and, in tests' settings, run at once)
    # by the receivers while it loads and clears its reviews.
    from django.db.models.signals import post_delete, post_save

    for model in ("review", "recommendation"):
        post_save.disconnect(dispatch_uid=f"learning.reviews.{model}.saved")
        post_delete.disconnect(dispatch_uid=f"learning.reviews.{model}.deleted")
    for n in args.reviews:
        populate(reviews=n, per_review=args.per_review)
        start = time.perf_counter()
        result = services.similarities_recompute(force=True)
        seconds = time.perf_counter() - start
        print(
            f"recompute {n:>5} reviews: {seconds:7.2f} s  "
            f"{result.recommendations} recommendations, {result.pairs} similar kept"
        )

    rng = random.Random(7)
    recs = list(
        Recommendation.objects.filter(review__slug__startswith=PREFIX).select_related("review")[:5000]
    )
    paths = [rng.choice(recs).get_absolute_url() for _ in range(args.requests)]
    client = Client()
    with override_settings(ROOT_URLCONF="public_urls"):
        client.get("/bench/bare/")
        client.get(paths[0])  # warm up: templates, connections
        bare_times, bare_queries = measure(client, ["/bench/bare/"] * args.requests)
        with override_settings(PAGE_CACHE_SECONDS=0):
            local_clear()
            with_times, with_queries = measure(client, paths)
            kept = list(panels._providers)
            panels._providers.clear()
            try:
                without_times, without_queries = measure(client, paths)
            finally:
                panels._providers.extend(kept)
        local_clear()
        for path in set(paths):
            client.get(path)  # first visit renders and keeps the page
        cached_times, cached_queries = measure(client, paths)
    report("bare Django view", bare_times, bare_queries)
    report("recommendation, with panel", with_times, with_queries)
    report("recommendation, without panel", without_times, without_queries)
    report("recommendation, as served (cache)", cached_times, cached_queries)
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


if __name__ == "__main__":
    main()
