"""The review services keep the search index in step, and only touch it when content changed."""

import pytest

from safeguarding.reviews.models import Recommendation
from safeguarding.reviews.search import search_documents
from safeguarding.reviews.services import default_content_load, recommendations_import, review_packs_load
from tests.reviews.importers.helpers import CONTENT, write

pytestmark = pytest.mark.django_db


def test_loaded_recommendations_can_be_found_by_search():
    default_content_load(content_dir=CONTENT)

    hits = search_documents(query="boys")

    found = {hit.recommendation_id for hit in hits}
    assert Recommendation.objects.get(reference="N5").pk in found


def test_the_index_is_rewritten_only_when_a_review_changed(monkeypatch, tmp_path):
    default_content_load(content_dir=CONTENT)
    calls = []
    monkeypatch.setattr(
        "safeguarding.reviews.importers.review_pack.search_index_review",
        lambda *, review: calls.append(review),
    )
    monkeypatch.setattr(
        "safeguarding.reviews.importers.recommendations_sheet.search_index_review",
        lambda *, review: calls.append(review),
    )
    pack = CONTENT / "reviews" / "newcastle-jscr-2018.yaml"

    review_packs_load(paths=[pack])
    assert calls == []

    review_packs_load(paths=[write(tmp_path, "jscr.yaml", pack.read_text().replace("N5", "N6"))])
    assert [review.slug for review in calls] == ["newcastle-jscr-2018"]

    plan = write(
        tmp_path, "plan.csv", "reference,title,recommendation,addressee,audience\n40,T,Do.,local,both\n"
    )
    recommendations_import(review_slug="newcastle-jscr-2018", path=plan)
    recommendations_import(review_slug="newcastle-jscr-2018", path=plan)
    assert len(calls) == 2
