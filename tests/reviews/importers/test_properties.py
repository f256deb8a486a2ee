"""Property-based tests: whatever text or bytes arrive, the importers raise only their own error."""

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguarding.core.content_loading import ContentLoadError
from safeguarding.core.content_loading.spreadsheet import sheet_read
from safeguarding.core.content_loading.yaml_source import pack_validate, yaml_parse
from safeguarding.reviews.importers.review_pack import review_pack_read
from safeguarding.reviews.importers.schema import ReviewPack
from safeguarding.reviews.services import recommendations_import, review_packs_load

from .helpers import TESTBOROUGH_REVIEW

# Text that looks a little like YAML and CSV, so that the parsers get past their first character.
yamlish = st.text(alphabet=st.sampled_from(list("abc:-[]{}&*!|>'\",#\n \t0123456789é\x00")), max_size=200)
fragments = st.lists(
    st.sampled_from(TESTBOROUGH_REVIEW.read_text().splitlines()) | st.text(max_size=20), max_size=30
).map("\n".join)


@given(text=st.text(max_size=300) | yamlish | fragments)
@settings(max_examples=300, deadline=None)
def test_any_text_as_a_pack_gives_a_pack_or_a_content_load_error(text):
    problems = None
    try:
        located = yaml_parse(text=text, file="random.yaml")
        pack_validate(located=located, model=ReviewPack)
    except ContentLoadError as exc:
        problems = exc.problems
    if problems is not None:
        assert problems
        assert all(str(p).startswith("random.yaml") for p in problems)


@given(data=st.binary(max_size=300))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_bytes_as_a_pack_file_give_only_a_content_load_error(tmp_path, data):
    path = tmp_path / "random.yaml"
    path.write_bytes(data)
    with contextlib.suppress(ContentLoadError):
        review_pack_read(path=path)


@given(
    data=st.binary(max_size=300) | st.text(max_size=300).map(str.encode),
    suffix=st.sampled_from([".csv", ".xlsx"]),
)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_bytes_as_a_spreadsheet_give_rows_or_a_content_load_error(tmp_path, data, suffix):
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    with contextlib.suppress(ContentLoadError):
        sheet_read(path=path)


csvish = st.lists(
    st.lists(
        st.sampled_from(["reference", "title", "recommendation", "addressee", "audience", "N1", "local", ""])
        | st.text(max_size=8),
        max_size=7,
    ).map(",".join),
    max_size=5,
).map("\n".join)


@pytest.mark.django_db
@given(text=csvish)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_csv_imports_or_gives_a_content_load_error(tmp_path, testborough, text):
    review_packs_load(paths=[TESTBOROUGH_REVIEW])
    path = tmp_path / "random.csv"
    path.write_text(text, encoding="utf-8")
    problems = None
    try:
        recommendations_import(review_slug="testborough-sar-2024", path=path)
    except ContentLoadError as exc:
        problems = exc.problems
    if problems is not None:
        assert problems
