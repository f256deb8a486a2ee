"""Review packs: loading, idempotency, the pack as source of truth, and errors that change nothing."""

import datetime
import time

import pytest

from safeguarding.core.content_loading import ContentLoadError
from safeguarding.reviews.models import Review, SearchDocument, Theme
from safeguarding.reviews.services import review_packs_load
from tests.reviews.factories import MilestoneFactory, RecommendationFactory, ThemeFactory

from .helpers import TESTBOROUGH_REVIEW, db_counts, db_snapshot, write

pytestmark = pytest.mark.usefixtures("testborough")

MINIMAL = """\
slug: mini
title: Mini review
short_title: Mini
review_type: sar
boards: [tsab]
summary: A fictional review.
findings:
  - reference: F1
    title: A finding
recommendations:
  - reference: "1"
    title: First
    text: Do the first thing.
    addressee: local
    audience: adults
    finding: F1
  - reference: "2"
    title: Second
    text: Do the second thing.
    addressee: national
    audience: both
"""


def _replace_line(text: str, number: int, new: str) -> str:
    lines = text.splitlines()
    lines[number - 1] = new
    return "\n".join(lines) + "\n"


def test_loads_every_part_of_a_pack():
    summary = review_packs_load(paths=[TESTBOROUGH_REVIEW])

    review = Review.objects.get(slug="testborough-sar-2024")
    assert review.review_type == "sar"
    assert [b.slug for b in review.boards.all()] == ["tsab"]
    assert review.briefing_questions == ["What do we share?", "Who do we tell?"]
    assert review.is_demo is True
    commissioned = review.milestones.get(title="Review commissioned")
    assert (commissioned.date.isoformat(), commissioned.precision) == ("2023-01-01", "year")
    assert [f.reference for f in review.findings.all()] == ["F1", "F2"]
    first = review.recommendations.get(reference="N1")
    assert first.reference_is_provisional is True
    assert first.finding.reference == "F1"
    assert sorted(a.slug for a in first.lead_agencies.all()) == ["testborough-health", "testborough-police"]
    assert [t.name for t in first.themes.all()] == ["Information sharing"]
    assert first.reflective_questions == ["Who else might know?"]
    assert [r.title for r in first.resources.all()] == ["Information sharing guide"]
    assert [r.title for r in review.resources.filter(recommendation=None)] == ["Training slides"]
    assert review.media.get().transcript == "Narrator: a fictional transcript."
    # One search document for the review and one per recommendation.
    assert SearchDocument.objects.filter(review=review).count() == 3
    assert summary.created["recommendation"] == 2


def test_loading_the_same_pack_twice_changes_nothing():
    review_packs_load(paths=[TESTBOROUGH_REVIEW])
    before = db_snapshot()

    summary = review_packs_load(paths=[TESTBOROUGH_REVIEW])

    assert not summary.changed, summary.as_line()
    assert summary.as_line() == "nothing changed"
    assert db_snapshot() == before


def test_the_pack_is_the_source_of_truth_for_its_review(tmp_path):
    review_packs_load(paths=[TESTBOROUGH_REVIEW])
    review = Review.objects.get(slug="testborough-sar-2024")
    RecommendationFactory(review=review, reference="99", title="Added by hand")
    MilestoneFactory(review=review, date=datetime.date(2024, 5, 1), title="Added by hand")

    summary = review_packs_load(paths=[TESTBOROUGH_REVIEW])

    assert sorted(review.recommendations.values_list("reference", flat=True)) == ["N1", "N2"]
    assert not review.milestones.filter(title="Added by hand").exists()
    assert summary.removed == {"recommendation": 1, "review milestone": 1}


def test_a_changed_value_saves_only_that_row(tmp_path):
    review_packs_load(paths=[TESTBOROUGH_REVIEW])
    review = Review.objects.get(slug="testborough-sar-2024")
    stamps = dict(review.recommendations.values_list("reference", "updated_at"))
    changed = TESTBOROUGH_REVIEW.read_text().replace(
        "Every plan should have a named owner.", "Name an owner."
    )

    summary = review_packs_load(paths=[write(tmp_path, "changed.yaml", changed)])

    after = dict(review.recommendations.values_list("reference", "updated_at"))
    assert after["N1"] == stamps["N1"]
    assert after["N2"] > stamps["N2"]
    assert summary.updated == {"recommendation": 1}
    assert Review.objects.get(pk=review.pk).updated_at == review.updated_at


def test_a_pack_that_drops_parts_removes_them(tmp_path):
    review_packs_load(paths=[TESTBOROUGH_REVIEW])
    text = TESTBOROUGH_REVIEW.read_text()
    text = text[: text.index("media:")]  # no media
    text = text.replace("    lead_agencies: [testborough-police, testborough-health]\n", "")

    summary = review_packs_load(paths=[write(tmp_path, "smaller.yaml", text)])

    review = Review.objects.get(slug="testborough-sar-2024")
    assert not review.media.exists()
    assert not review.recommendations.get(reference="N1").lead_agencies.exists()
    assert summary.removed == {"media": 1}
    assert summary.updated == {"recommendation": 1}


def test_themes_are_created_if_missing_and_existing_themes_are_left_alone(tmp_path):
    ThemeFactory(slug="information-sharing", name="Sharing information", description="Edited locally")

    review_packs_load(paths=[TESTBOROUGH_REVIEW])

    theme = Theme.objects.get(slug="information-sharing")
    assert (theme.name, theme.description) == ("Sharing information", "Edited locally")


@pytest.mark.parametrize(
    ("line", "new", "position", "message"),
    [
        (21, "    audience: everyone", "21:15", "recommendations[1].audience: Input should be 'children'"),
        (4, "review_type: inquest", "4:14", "review_type: Input should be 'jscr'"),
        (6, "published_on: last spring", "6:15", "published_on: Input should be a valid date"),
        (20, "    colour: blue", "20:5", "recommendations[1].colour: unknown key 'colour'"),
        (17, '  - reference: "1"', "17:16", "recommendation '1' is used twice, on line 11 and line 17"),
        (16, "    finding: F7", "16:14", "recommendations[0].finding: there is no finding 'F7' in this pack"),
        (5, "boards: [tsab, nobody]", "5:16", "boards[1]: there is no board 'nobody'"),
        (21, "    audience: both\n    lead_agencies: [ghost]", "22:21", "there is no agency 'ghost'"),
        (21, "    audience: both\n    themes: [unknown-theme]", "22:14", "there is no theme 'unknown-theme'"),
        (13, "    text: [unclosed", "14:14", "this is not valid YAML"),
        (13, "    text: ''", "13:11", "recommendations[0].text: must not be empty"),
        (12, "    title: &t First", "12:12", "anchors (&name) are not allowed"),
        (18, "    title: *t", "18:12", "aliases (*name) are not allowed"),
        (3, "title: Again", "3:1", "the key 'title' appears twice in the same place (first on line 2)"),
        (
            6,
            "summary: !!python/object:os.system x",
            "6:10",
            "the tag tag:yaml.org,2002:python/object:os.system",
        ),
        (1, "slug: not a slug!", "1:7", "slug: use only letters, numbers, hyphens"),
    ],
)
def test_an_error_names_the_line_and_column_and_changes_nothing(tmp_path, line, new, position, message):
    review_packs_load(paths=[TESTBOROUGH_REVIEW])
    before = db_snapshot()
    path = write(tmp_path, "mini.yaml", _replace_line(MINIMAL, line, new))

    with pytest.raises(ContentLoadError) as caught:
        review_packs_load(paths=[path])

    assert any(
        str(p).startswith(f"{path}:{position}: ") and message in str(p) for p in caught.value.problems
    ), [str(p) for p in caught.value.problems]
    assert db_snapshot() == before


def test_a_duplicate_finding_reference_names_both_lines(tmp_path):
    text = MINIMAL.replace("findings:\n", "findings:\n  - reference: F1\n    title: Again\n")
    path = write(tmp_path, "mini.yaml", text)

    with pytest.raises(ContentLoadError) as caught:
        review_packs_load(paths=[path])

    assert [str(p) for p in caught.value.problems] == [
        f"{path}:10:16: findings[1].reference: finding 'F1' is used twice, on line 8 and line 10"
    ]


def test_a_milestone_date_that_is_not_real_is_refused(tmp_path):
    text = MINIMAL + "milestones:\n  - date: 2019-02-30\n    title: Signed off\n"
    path = write(tmp_path, "mini.yaml", text)

    with pytest.raises(ContentLoadError) as caught:
        review_packs_load(paths=[path])

    assert str(caught.value) == f"{path}:23:11: milestones[0].date: '2019-02-30' is not a real date"


def test_media_needs_a_transcript(tmp_path):
    text = MINIMAL + "media:\n  - title: A film\n    url: https://example.org/film\n    transcript: ' '\n"
    path = write(tmp_path, "mini.yaml", text)

    with pytest.raises(ContentLoadError) as caught:
        review_packs_load(paths=[path])

    assert str(caught.value) == f"{path}:25:17: media[0].transcript: must not be empty"


def test_every_problem_in_every_file_is_reported_and_nothing_is_written(tmp_path):
    good = write(tmp_path, "good.yaml", MINIMAL)
    bad = write(
        tmp_path, "bad.yaml", _replace_line(MINIMAL.replace("mini", "other"), 15, "    audience: kids")
    )
    before = db_counts()

    with pytest.raises(ContentLoadError) as caught:
        review_packs_load(paths=[good, bad])

    assert [p.file for p in caught.value.problems] == [str(bad)]
    assert db_counts() == before
    assert not Review.objects.filter(slug="mini").exists()


def test_the_same_review_in_two_files_is_refused(tmp_path):
    first = write(tmp_path, "first.yaml", MINIMAL)
    second = write(tmp_path, "second.yaml", MINIMAL)

    with pytest.raises(ContentLoadError) as caught:
        review_packs_load(paths=[first, second])

    assert str(caught.value) == f"{second}:1:7: slug: the review 'mini' is also loaded from {first}"


def test_a_failure_while_writing_rolls_everything_back(tmp_path, monkeypatch):
    review_packs_load(paths=[TESTBOROUGH_REVIEW])
    before = db_snapshot()

    def fail(*, review):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr("safeguarding.reviews.importers.review_pack.search_index_review", fail)
    with pytest.raises(RuntimeError):
        review_packs_load(paths=[TESTBOROUGH_REVIEW, write(tmp_path, "mini.yaml", MINIMAL)])

    assert db_snapshot() == before


def test_a_20_mb_file_is_refused_quickly_without_reading_it(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.write(MINIMAL.encode())
        handle.write(b"# padding\n" * (2 * 1024 * 1024))  # 20 MB
    before = db_counts()

    started = time.monotonic()
    with pytest.raises(ContentLoadError) as caught:
        review_packs_load(paths=[path])

    assert time.monotonic() - started < 1
    assert str(caught.value) == f"{path}: the file is too large: the limit is 5.0 MB and this one is 20.0 MB"
    assert db_counts() == before


def test_a_file_that_is_not_utf8_names_the_first_bad_byte(tmp_path):
    data = MINIMAL.replace("title: First", "title: Caf\u00e9").encode("latin-1")
    path = write(tmp_path, "latin1.yaml", data)

    with pytest.raises(ContentLoadError) as caught:
        review_packs_load(paths=[path])

    assert str(caught.value).startswith(f"{path}:12:15: the file is not UTF-8 text: byte 0xe9")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "1:1: the file is empty"),
        ("- a\n- b\n", "1:1: a pack must be a mapping of keys to values"),
        ("a: 1\n---\nb: 2\n", "this is not valid YAML"),
        ("a: b\x00c\n", "1:5: the file holds a character YAML does not allow"),
        ("[" * 100, "nested more than 30 levels deep"),
    ],
)
def test_files_that_are_not_packs_at_all(tmp_path, text, message):
    path = write(tmp_path, "odd.yaml", text)

    with pytest.raises(ContentLoadError) as caught:
        review_packs_load(paths=[path])

    assert message in str(caught.value)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ContentLoadError, match="there is no file here"):
        review_packs_load(paths=[tmp_path / "nothing.yaml"])
