"""Loading the training reviews, and working out similar recommendations (through the task queue)."""

import pytest
from django.core.management import call_command

from safeguarding.core import page_cache
from safeguarding.learning import services
from safeguarding.learning.models import Similarity, SimilarityRun
from safeguarding.reviews.models import Review
from tests.reviews.factories import RecommendationFactory, ReviewFactory

pytestmark = pytest.mark.django_db


def test_sample_reviews_load_three_fictional_training_reviews_once():
    summary = services.sample_reviews_load()
    assert summary.created["review"] == 3
    reviews = Review.objects.filter(slug__startswith="training-testborough-")
    assert reviews.count() == 3
    for review in reviews:
        assert review.is_demo
        assert review.title.startswith("Training example")
        assert "fictional" in review.content_note
        assert {board.slug for board in review.boards.all()} <= {"testborough-scp", "testborough-sab"}
    assert not services.sample_reviews_load().changed  # loading again changes nothing


def test_training_reviews_repeat_each_other_but_not_everything():
    services.sample_reviews_load()
    result = services.similarities_recompute()
    assert result.pairs > 0
    pairs = {
        (
            row.recommendation.review.slug,
            row.recommendation.reference,
            row.similar.review.slug,
            row.similar.reference,
        )
        for row in Similarity.objects.select_related("recommendation__review", "similar__review")
    }
    # Transition planning from 17 comes up in 2020 and again in 2024.
    assert ("training-testborough-sar-2020", "3", "training-testborough-joint-2024", "2") in pairs
    # The self-neglect pathway is like nothing else.
    assert not any(a == "training-testborough-sar-2020" and ref == "4" for a, ref, _, _ in pairs)


def test_recompute_skips_when_nothing_changed_and_redoes_when_text_changes(settings):
    a = RecommendationFactory(title="Share information about risk", text="Share information about risk.")
    b = RecommendationFactory(title="Sharing information", text="Agencies share information about risk.")
    first = services.similarities_recompute()
    assert not first.skipped
    assert first.changed
    assert first.pairs == 2
    row = Similarity.objects.get(recommendation=a)
    assert row.similar == b
    assert row.rank == 1
    assert "information" in row.shared_terms
    assert services.similarities_recompute().skipped
    b.text = "Publish a pathway for hoarding."
    b.title = "Hoarding"
    b.save()
    third = services.similarities_recompute()
    assert not third.skipped
    assert third.pairs == 0
    assert not Similarity.objects.exists()
    assert SimilarityRun.objects.get().recommendations == 2


def test_unpublished_reviews_are_left_out():
    hidden = ReviewFactory(is_published=False)
    RecommendationFactory(review=hidden, title="Share information about risk", text="Share information.")
    RecommendationFactory(title="Share information about risk", text="Share information.")
    assert services.similarities_recompute().pairs == 0


def test_a_changed_result_drops_kept_public_pages(monkeypatch):
    calls = []
    monkeypatch.setattr(services, "content_changed_on_commit", lambda: calls.append(1))
    RecommendationFactory(title="Share information about risk", text="Share information.")
    RecommendationFactory(title="Share information about risk", text="Share information.")
    services.similarities_recompute()
    assert calls == [1]
    services.similarities_recompute(force=True)  # same result: the pages stay
    assert calls == [1]


def test_a_change_to_a_recommendation_queues_a_recompute(django_capture_on_commit_callbacks):
    # Tests run tasks at once (the immediate backend), so the queued run has happened on commit.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        RecommendationFactory(title="Share information about risk", text="Share information.")
        RecommendationFactory(title="Share information about risk", text="Share information.")
    assert len([c for c in callbacks if type(c).__name__ == "_RecomputeEnqueue"]) == 1  # once a transaction
    assert Similarity.objects.count() == 2


def test_page_cache_module_is_what_services_call():
    assert services.content_changed_on_commit is page_cache.content_changed_on_commit


def test_commands(capsys):
    call_command("load_sample_reviews")
    out = capsys.readouterr().out
    assert "Training reviews (fictional): created" in out
    assert "Similar recommendations:" in out
    call_command("learning_recompute")
    assert "Nothing has changed" in capsys.readouterr().out
    call_command("learning_recompute", "--force")
    assert "recommendations compared" in capsys.readouterr().out


def test_load_sample_reviews_refused_where_demo_data_is_not_allowed(settings):
    from django.core.management.base import CommandError

    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="not allowed"):
        call_command("load_sample_reviews")
    assert not Review.objects.exists()


def test_load_demo_adds_the_training_reviews_and_their_similarities():
    from safeguarding.demo.services import demo_load

    result = demo_load()
    assert result.created["training review"] == 3
    assert Review.objects.filter(slug__startswith="training-testborough-").count() == 3
    assert Similarity.objects.exists()


def test_a_run_waiting_in_the_database_queue_is_not_queued_twice(
    settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    # The database queue, with the worker stopped (django-tasks reloads its backends on this change).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for _ in range(2):  # two transactions
        with django_capture_on_commit_callbacks(execute=True):
            RecommendationFactory()
    assert DBTaskResult.objects.filter(task_path__endswith="similarities_recompute_task").count() == 1


def test_a_status_change_alone_costs_no_recompute():
    rec = RecommendationFactory(title="Share information about risk", text="Share information.")
    RecommendationFactory(title="Share information about risk", text="Share information.")
    services.similarities_recompute()
    rec.public_status = rec.PublicStatus.IN_PROGRESS
    rec.save()
    assert services.similarities_recompute().skipped
