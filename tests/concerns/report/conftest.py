"""Helpers for the report journey's tests: post a page as a browser would, and walk the whole journey."""

from typing import Any

from django.test import Client

from tests.concerns.conftest import (
    CANARY_ADDRESS,
    CANARY_HANDLE,
    CANARY_NAME,
    CANARY_NARRATIVE,
    CANARY_NICKNAME,
    CANARY_PHONE,
    CANARY_REGISTRATION,
)
from tests.conftest import html


def csrf_token(client: Client, url: str = "/report/") -> str:
    """The CSRF token a page's forms carry (the start page has none, so a question page is read)."""
    page = html(client.get(url if url != "/report/" else "/report/danger/"))
    field = page.select_one("input[name=csrfmiddlewaretoken]")
    assert field is not None, f"{url}: no CSRF token on the page"
    return field["value"]


def post(client: Client, url: str, data: dict[str, Any] | None = None, **kwargs: Any):
    """GET the page, then POST its form with the CSRF token, as a browser does."""
    token = csrf_token(client, url)
    return client.post(url, {"csrfmiddlewaretoken": token, **(data or {})}, **kwargs)


def answer(client: Client, url: str, data: dict[str, Any], expect: str) -> None:
    """Answer one page and check where it sends the reporter next."""
    response = post(client, url, data)
    assert response.status_code == 302, (url, response.status_code, response.content[:2000])
    assert response["Location"] == expect, (url, response["Location"])


def canary_journey(client: Client) -> None:
    """Answer every page of the journey about an adult, carrying every canary, up to the check page."""
    answer(client, "/report/danger/", {"immediate_danger": "no"}, "/report/about/")
    answer(client, "/report/about/", {"about": "adult"}, "/report/what-is-happening/")
    answer(client, "/report/what-is-happening/", {"narrative": CANARY_NARRATIVE}, "/report/signs/")
    answer(client, "/report/signs/", {"signs": ["vehicles", "taken_to_addresses"]}, "/report/where-and-when/")
    answer(client, "/report/where-and-when/", {"where_and_when": "Friday evenings"}, "/report/people/")
    answer(client, "/report/people/", {"add": "yes"}, "/report/people/add/")
    answer(
        client,
        "/report/people/add/",
        {"role": "at_risk", "name": CANARY_NAME, "nicknames": CANARY_NICKNAME, "age": "about nineteen"},
        "/report/people/",
    )
    answer(client, "/report/people/", {"add": "yes"}, "/report/people/add/")
    answer(
        client,
        "/report/people/add/",
        {
            "role": "harming",
            "name": "Orrin Canaryman",
            "date_of_birth_day": "3",
            "date_of_birth_month": "2",
            "date_of_birth_year": "1990",
            "description": "tall",
        },
        "/report/people/",
    )
    answer(client, "/report/people/", {"add": "no"}, "/report/vehicles/")
    answer(client, "/report/vehicles/", {"add": "yes"}, "/report/vehicles/add/")
    answer(client, "/report/vehicles/add/", {"registration": CANARY_REGISTRATION}, "/report/vehicles/")
    answer(client, "/report/vehicles/", {"add": "no"}, "/report/phones/")
    answer(client, "/report/phones/", {"add": "yes"}, "/report/phones/add/")
    answer(client, "/report/phones/add/", {"number": CANARY_PHONE}, "/report/phones/")
    answer(client, "/report/phones/", {"add": "no"}, "/report/places/")
    answer(client, "/report/places/", {"add": "yes"}, "/report/places/add/")
    answer(
        client,
        "/report/places/add/",
        {"venue": "Larkspur Lodge", "address": CANARY_ADDRESS},
        "/report/places/",
    )
    answer(client, "/report/places/", {"add": "no"}, "/report/online-accounts/")
    answer(client, "/report/online-accounts/", {"add": "yes"}, "/report/online-accounts/add/")
    answer(
        client,
        "/report/online-accounts/add/",
        {"platform": "Snapchat", "handle": CANARY_HANDLE},
        "/report/online-accounts/",
    )
    answer(client, "/report/online-accounts/", {"add": "no"}, "/report/about-you/")
    answer(
        client,
        "/report/about-you/",
        {"anonymous": "no", "name": "Wilhelmina Canaryreporter", "contact": "0191 498 0417"},
        "/report/relationship/",
    )
    answer(client, "/report/relationship/", {"relationship": "Neighbour"}, "/report/does-the-person-know/")
    answer(client, "/report/does-the-person-know/", {"adult_knows": "no"}, "/report/what-they-want/")
    answer(
        client,
        "/report/what-they-want/",
        {"adult_wants": "Canary wants: to be safe at home"},
        "/report/check/",
    )


def minimal_journey(
    client: Client, *, about: str = "child", narrative: str = "A fictional test account."
) -> None:
    """The fewest answers that make a report: danger, who it is about, what is happening."""
    answer(client, "/report/danger/", {"immediate_danger": "no"}, "/report/about/")
    answer(client, "/report/about/", {"about": about}, "/report/what-is-happening/")
    answer(client, "/report/what-is-happening/", {"narrative": narrative}, "/report/signs/")


def send(client: Client, **kwargs: Any):
    """Press "Send report" on the check page."""
    page = html(client.get("/report/check/"))
    key = page.select_one("input[name=idempotency_key]")["value"]
    token = page.select_one("input[name=csrfmiddlewaretoken]")["value"]
    return client.post("/report/check/", {"csrfmiddlewaretoken": token, "idempotency_key": key}, **kwargs)
