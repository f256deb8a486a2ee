"""Request bodies are capped per page before anything reads them (issue 10, finding 7): a 30 MB body
to a public form page was parsed to disk."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import html

pytestmark = pytest.mark.django_db

BIG = 30 * 1024 * 1024


def _big_multipart(client, path):
    client.get(path)
    return client.post(
        path,
        {
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
            "immediate_danger": "no",
            "padding": SimpleUploadedFile("padding.bin", b"0" * BIG),
        },
    )


def test_a_30_mb_body_to_a_public_form_is_refused_unread(client, monkeypatch):
    read = []
    from django.http.multipartparser import MultiPartParser

    real_parse = MultiPartParser.parse
    monkeypatch.setattr(MultiPartParser, "parse", lambda self: read.append(1) or real_parse(self))
    response = _big_multipart(client, "/report/danger/")
    assert response.status_code == 413
    assert html(response).h1.get_text(strip=True) == "What you sent is too large"
    assert read == []  # refused before the multipart parser ran


def test_an_ordinary_form_is_untouched(client):
    client.get("/report/danger/")
    response = client.post(
        "/report/danger/",
        {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, "immediate_danger": "no"},
    )
    assert response.status_code == 302


def test_the_cap_is_a_setting(client, settings):
    settings.REQUEST_BODY_MAX_BYTES = 10
    client.get("/report/danger/")
    response = client.post(
        "/report/danger/",
        {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, "immediate_danger": "no"},
    )
    assert response.status_code == 413
