"""Evidence uploaded through the tracker's page: a refused file says why and nothing is stored."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safeguarding.core import uploads
from safeguarding.tracker.models import Evidence
from tests.conftest import html
from tests.samples import EXE_BYTES, PDF_BYTES, ooxml
from tests.staff import login_verified


def _stored_files() -> list[Path]:
    root = Path(settings.PRIVATE_FILES_ROOT)
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.fixture
def clean_storage():
    for path in _stored_files():
        path.unlink()
    yield
    for path in _stored_files():
        path.unlink()


def _upload(client, world, data: bytes, name: str):
    login_verified(client, world.user("lead_x"))
    client.get(reverse("tracker:action_detail", kwargs={"pk": world.action_x.pk}))
    return client.post(
        reverse("tracker:evidence_create", kwargs={"pk": world.action_x.pk}),
        {
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
            "kind": "file",
            "title": "Training register",
            "file": SimpleUploadedFile(name, data),
            "effective_date_0": "4",
            "effective_date_1": "1",
            "effective_date_2": "2026",
        },
    )


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (PDF_BYTES + b"0" * uploads.MAX_UPLOAD_BYTES, "big.pdf", "The file must be smaller than 20 MB."),
        (PDF_BYTES, "register.docx", "is called a Word document but its contents are a PDF"),
        (EXE_BYTES, "register.pdf", "is not a type of file that can be uploaded"),
        (
            ooxml(extra={"word/media/padding.xml": b"\x00" * (30 * 1024 * 1024)}),
            "minutes.docx",
            "zip bomb",
        ),
    ],
)
def test_a_refused_upload_shows_why_and_stores_nothing(client, world, clean_storage, data, name, message):
    response = _upload(client, world, data, name)
    assert response.status_code == 200
    page = html(response)
    assert message in page.select_one(".govuk-error-summary").get_text()
    assert message in page.select_one("#evidence-file-error").get_text()
    assert _stored_files() == []
    assert not Evidence.objects.exists()


def test_an_accepted_upload_is_stored_once_under_a_random_name(client, world, clean_storage):
    response = _upload(client, world, PDF_BYTES, "Training register.pdf")
    assert response.status_code == 303
    evidence = Evidence.objects.get()
    assert evidence.effective_date == datetime.date(2026, 1, 4)
    stored = _stored_files()
    assert [path.name for path in stored] == [Path(evidence.file.name).name]
    assert "Training" not in stored[0].name
    assert stored[0].read_bytes() == PDF_BYTES
