"""The content commands: one-line summaries, and errors as FILE:LINE:COLUMN lines with a non-zero exit."""

import io
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from safeguarding.reviews.models import Review

from .helpers import (
    CONTENT,
    TESTBOROUGH_ACTION_PLAN,
    TESTBOROUGH_PARTNERSHIP,
    TESTBOROUGH_REVIEW,
    db_counts,
    write,
)

pytestmark = pytest.mark.django_db


EXPECTED_IMPORT = "created 1 recommendation; updated 1 recommendation; removed nothing"


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_load_default_content_prints_one_line_and_is_idempotent():
    first, _ = _run("load_default_content")
    second, _ = _run("load_default_content")

    assert first.count("\n") == 1
    assert first.startswith("Default content: 2 files loaded; created ")
    assert "5 recommendations" in first
    assert (
        second == "Default content: 0 files loaded; 2 already installed, left as they are; nothing changed.\n"
    )


def test_load_partnership_pack_then_review_pack_then_import():
    out, _ = _run("load_partnership_pack", str(TESTBOROUGH_PARTNERSHIP))
    assert out.startswith(f"Loaded {TESTBOROUGH_PARTNERSHIP}: created ")

    out, _ = _run("load_review_pack", str(TESTBOROUGH_REVIEW))
    assert out.startswith("Loaded 1 review pack: created ")

    out, _ = _run("import_recommendations", "--review", "testborough-sar-2024", str(TESTBOROUGH_ACTION_PLAN))
    assert out == f"Imported {TESTBOROUGH_ACTION_PLAN}: {EXPECTED_IMPORT}.\n"


def test_pack_errors_are_printed_as_file_line_column(tmp_path):
    _run("load_partnership_pack", str(TESTBOROUGH_PARTNERSHIP))
    bad = TESTBOROUGH_REVIEW.read_text().replace("    audience: adults", "    audience: elders")
    path = write(tmp_path, "bad.yaml", bad)
    err = io.StringIO()
    before = db_counts()

    with pytest.raises(CommandError, match="1 problem found: nothing was changed"):
        call_command("load_review_pack", str(path), stdout=io.StringIO(), stderr=err)

    assert err.getvalue() == (
        f"{path}:50:15: recommendations[0].audience: Input should be 'children', 'adults' or 'both'\n"
    )
    assert db_counts() == before


def test_sheet_errors_are_printed_with_row_and_column(tmp_path):
    _run("load_partnership_pack", str(TESTBOROUGH_PARTNERSHIP))
    _run("load_review_pack", str(TESTBOROUGH_REVIEW))
    path = write(tmp_path, "plan.csv", "reference,title,recommendation,addressee,audience,colour\n")
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_recommendations", "--review", "testborough-sar-2024", str(path), stderr=err)

    assert err.getvalue().startswith(f"{path}: row 1, column F (colour): unknown column")


def test_a_failing_command_exits_non_zero_without_a_traceback(tmp_path):
    path = write(tmp_path, "bad.yaml", "slug: [unclosed\n")
    database = tmp_path / "command.sqlite3"
    env = {
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "PATH": "",
    }

    result = subprocess.run(  # noqa: S603 - our own manage.py, with arguments we chose
        [sys.executable, "manage.py", "load_review_pack", str(path)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert result.returncode == 1
    assert result.stderr.startswith(f"{path}:2:1: this is not valid YAML")
    assert "Traceback" not in result.stderr
    assert result.stderr.rstrip().endswith("CommandError: 1 problem found: nothing was changed.")


def test_load_default_content_loads_the_project_content_dir():
    _run("load_default_content", "--content-dir", str(CONTENT))

    assert Review.objects.filter(slug="newcastle-jscr-2018").exists()
