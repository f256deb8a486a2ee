"""Sign-offs from a review pack (issue 11: one truth about a recommendation's status). The JSCR's boards
agreed in November 2019 that every recommendation had been progressed in full: loaded as the tracker's
sign-off records, the public page, the dashboards and the board report all say so."""

import pytest

from safeguarding.audit.models import AuditEvent
from safeguarding.core.content_loading import ContentLoadError
from safeguarding.reviews.models import Recommendation, Review
from safeguarding.reviews.services import default_content_load, review_packs_load
from safeguarding.tracker.dashboards.selectors import recommendation_counts
from safeguarding.tracker.models import SignOff
from safeguarding.tracker.selectors import recommendation_progress, recommendation_with_tracker
from safeguarding.tracker.services import action_create
from tests.accounts.factories import UserFactory
from tests.conftest import html
from tests.partnership.factories import AgencyFactory
from tests.reviews.importers.helpers import CONTENT, write

pytestmark = pytest.mark.django_db

JSCR = CONTENT / "reviews" / "newcastle-jscr-2018.yaml"
ALL_THE_JSCR = ["N1", "N2", "N3", "N4", "N5"]


def _jscr() -> Review:
    return Review.objects.get(slug="newcastle-jscr-2018")


def test_the_jscr_sign_offs_load_as_tracker_records_and_every_status_agrees(client):
    default_content_load(content_dir=CONTENT)
    review = _jscr()
    recommendations = review.recommendations.order_by("order")
    assert [r.reference for r in recommendations] == ALL_THE_JSCR
    for recommendation in recommendations:
        sign_offs = SignOff.objects.filter(recommendation=recommendation).select_related("board")
        assert sorted(s.board.short_name for s in sign_offs) == ["NSAB", "NSCP"]
        assert all(s.from_review_pack and s.recorded_by is None for s in sign_offs)
        assert {s.meeting_when for s in sign_offs} == {"November 2019"}
        assert recommendation_progress(recommendation_with_tracker(recommendation.pk)).is_progressed_in_full
        assert recommendation.public_status == Recommendation.PublicStatus.PROGRESSED_IN_FULL
        assert recommendation.public_status_note == (
            "NSAB and NSCP agreed it has been progressed in full (in November 2019)."
        )
    # The dashboards and the board report count in SQL: the same answer.
    counts = recommendation_counts(recommendations=Recommendation.objects.filter(review=review))
    assert (counts.progressed, counts.total) == (5, 5)

    page = html(client.get("/reviews/newcastle-jscr-2018/recommendations/N1/"))
    text = page.select_one("main").get_text(" ")
    assert "Progressed in full" in text
    assert "has not recorded this yet" not in text
    assert "agreed it has been progressed in full (in November 2019)" in text


def test_loading_the_pack_again_adds_nothing():
    default_content_load(content_dir=CONTENT)
    before = (SignOff.objects.count(), AuditEvent.objects.count())
    review_packs_load(paths=[JSCR])
    assert (SignOff.objects.count(), AuditEvent.objects.count()) == before == (10, before[1])


def test_work_added_after_the_sign_off_reopens_it_as_any_other():
    default_content_load(content_dir=CONTENT)
    recommendation = _jscr().recommendations.get(reference="N1")
    manager = UserFactory(partnership_manager=_jscr().boards.get(slug="nscp"))
    action_create(
        recommendation=recommendation,
        description="A new piece of work",
        owner_agency=AgencyFactory(),
        by=manager,
    )
    recommendation.refresh_from_db()
    assert recommendation.public_status == Recommendation.PublicStatus.NOT_STARTED
    assert "It was signed off, then changed" in recommendation.public_status_note
    assert SignOff.objects.filter(recommendation=recommendation, reopened_at__isnull=True).count() == 0
    counts = recommendation_counts(recommendations=Recommendation.objects.filter(review=_jscr()))
    assert counts.progressed == 4


def test_a_recommendation_renamed_in_its_pack_takes_its_pack_sign_offs_with_it(tmp_path):
    default_content_load(content_dir=CONTENT)
    review_packs_load(paths=[write(tmp_path, "jscr.yaml", JSCR.read_text().replace("N5", "N6"))])
    assert not _jscr().recommendations.filter(reference="N5").exists()
    assert SignOff.objects.filter(recommendation__reference="N6").count() == 2


def _refused(tmp_path, text: str) -> list[str]:
    with pytest.raises(ContentLoadError) as caught:
        review_packs_load(paths=[write(tmp_path, "jscr.yaml", text)])
    return [str(problem) for problem in caught.value.problems]


def test_progressed_in_full_with_no_sign_off_to_say_so_is_refused(tmp_path):
    default_content_load(content_dir=CONTENT)
    text = JSCR.read_text()
    problems = _refused(tmp_path, text[: text.index("# The boards' decision")])
    assert len(problems) == 5
    assert all("progressed in full needs a sign-off by every board" in p for p in problems)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("boards: [nscp, nsab]\n    date", "boards: [nscp, tscp]\n    date", "'tscp' is not one of"),
        ("date: 2019-11\n    minute", "date: 2099-11\n    minute", "cannot be in the future"),
        ("date: 2019-11\n    minute", "date: 2019-13\n    minute", "is not a real date"),
    ],
)
def test_a_sign_off_that_does_not_fit_its_review_is_refused(tmp_path, old, new, message):
    default_content_load(content_dir=CONTENT)
    problems = _refused(tmp_path, JSCR.read_text().replace(old, new))
    assert any(message in p for p in problems), problems


def test_a_sign_off_naming_a_recommendation_the_pack_does_not_have_is_refused(tmp_path):
    default_content_load(content_dir=CONTENT)
    text = JSCR.read_text().replace(
        "    minute_reference: Joint", "    recommendations: [N9]\n    minute_reference: Joint"
    )
    with pytest.raises(ContentLoadError) as caught:
        review_packs_load(paths=[write(tmp_path, "jscr.yaml", text)])
    assert any("there is no recommendation 'N9'" in str(p) for p in caught.value.problems)
