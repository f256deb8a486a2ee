"""The default content: the Newcastle partnership and the Newcastle JSCR, loaded idempotently."""

import pytest

from safeguarding.core.content_loading import ContentLoadError
from safeguarding.partnership.models import Board, ContactPoint, Partnership
from safeguarding.reviews.models import Recommendation, Review
from safeguarding.reviews.services import default_content_load, recommendations_import

from .helpers import CONTENT, db_counts, db_snapshot, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def jscr() -> Review:
    default_content_load(content_dir=CONTENT)
    return Review.objects.get(slug="newcastle-jscr-2018")


def test_loading_twice_changes_nothing_even_when_forced():
    first = default_content_load(content_dir=CONTENT)
    before = db_snapshot()

    second = default_content_load(content_dir=CONTENT)
    forced = default_content_load(content_dir=CONTENT, force=True)

    assert first.summary.changed
    assert not second.summary.changed
    assert not forced.summary.changed
    assert second.loaded == []
    assert len(second.kept) == 2
    assert len(forced.loaded) == 2
    assert db_snapshot() == before


def test_the_jscr_holds_exactly_the_five_national_recommendations(jscr):
    recommendations = list(jscr.recommendations.all())

    assert [r.reference for r in recommendations] == ["N1", "N2", "N3", "N4", "N5"]
    assert all(r.reference_is_provisional for r in recommendations)
    assert {r.addressee for r in recommendations} == {"national"}
    assert {r.public_status for r in recommendations} == {"progressed_in_full"}
    assert all("November 2019" in r.public_status_note for r in recommendations)
    assert all(r.themes.exists() and r.finding_id for r in recommendations)


def test_the_jscr_says_plainly_that_the_review_made_33_recommendations_18_local(jscr):
    assert "33 recommendations" in jscr.recommendations_summary
    assert "18 of them are for action in Newcastle" in jscr.recommendations_summary
    assert "All 33 are in the full report, which\nthe two boards published" in jscr.recommendations_summary
    assert "toolkit" not in jscr.recommendations_summary  # a partnership's page, not product notes


def test_the_jscr_facts(jscr):
    assert jscr.review_type == Review.Type.JOINT_SERIOUS_CASE_REVIEW
    assert jscr.published_on.isoformat() == "2018-02-23"
    assert jscr.period_covered == "2007 to 2015"
    assert "David Spicer" in jscr.reviewer
    assert sorted(b.short_name for b in jscr.boards.all()) == ["NSAB", "NSCP"]
    assert "section 44 of the Care Act 2014" in jscr.summary
    assert jscr.report_url == ""
    assert jscr.is_demo is False
    assert not jscr.media.exists()  # no video or transcript is in the facts
    assert 4 <= len(jscr.briefing_questions) <= 6


def test_the_jscr_milestones_include_the_joint_sign_off_of_november_2019(jscr):
    milestones = {m.title: (m.date.isoformat(), m.precision) for m in jscr.milestones.all()}

    assert milestones == {
        "Review commissioned": ("2015-01-01", "year"),
        "Report published": ("2018-02-23", "day"),
        "All recommendations progressed in full": ("2019-11-01", "month"),
    }
    sign_off = jscr.milestones.get(precision="month")
    assert "NSCP and NSAB met jointly" in sign_off.description


def test_the_partnership_and_its_contact_points_are_as_in_the_facts(jscr):
    assert Partnership.objects.current().area == "Newcastle upon Tyne"
    assert sorted(Board.objects.values_list("short_name", "kind")) == [
        ("NSAB", "adults"),
        ("NSCP", "children"),
    ]
    phones = {c.slug: (c.kind, c.audience, c.phone, c.hours) for c in ContactPoint.objects.all()}

    assert phones["emergency-999"][2] == "999"
    assert phones["children-initial-response"] == (
        "front_door",
        "children",
        "0191 277 2500",
        "Monday to Friday, 8:45am to 5pm",
    )
    assert phones["adults-chsc-direct"] == (
        "front_door",
        "adults",
        "0191 278 8377",
        "Monday to Friday, 8am to 5pm",
    )
    assert phones["emergency-duty-team"] == (
        "out_of_hours",
        "anyone",
        "0191 278 7878",
        "Evenings, weekends and bank holidays",
    )
    helplines = {c.name: c.phone for c in ContactPoint.objects.filter(kind="helpline")}
    assert helplines == {
        "Childline": "0800 1111",
        "NSPCC Helpline": "0808 800 5000",
        "Crimestoppers": "0800 555 111",
        "Police, when it is not an emergency": "101",
    }


def test_an_imported_action_plan_survives_the_next_default_content_load(jscr, tmp_path):
    plan = write(
        tmp_path,
        "plan.csv",
        "reference,replaces_reference,title,recommendation,addressee,audience\n"
        "7,N1,Research on perpetrators,Government should commission research.,national,both\n",
    )
    recommendations_import(review_slug=jscr.slug, path=plan)
    before = db_snapshot()

    result = default_content_load(content_dir=CONTENT)

    assert not result.summary.changed
    assert db_snapshot() == before
    assert Recommendation.objects.filter(review=jscr, reference="7").exists()


def test_a_broken_default_pack_loads_nothing_at_all(tmp_path):
    (tmp_path / "reviews").mkdir()
    (tmp_path / "partnership.yaml").write_text((CONTENT / "partnership.yaml").read_text())
    broken = (
        (CONTENT / "reviews" / "newcastle-jscr-2018.yaml")
        .read_text()
        .replace("audience: adults", "audience: x")
    )
    (tmp_path / "reviews" / "jscr.yaml").write_text(broken)
    before = db_counts()

    with pytest.raises(ContentLoadError, match="Input should be 'children', 'adults' or 'both'"):
        default_content_load(content_dir=tmp_path)

    assert db_counts() == before
    assert not Partnership.objects.exists()
