"""The one rate-limit decorator: what it counts, against what, per whom, and how it answers."""

import json

import pytest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test import RequestFactory

from safeguarding.core.ratelimit import client_address, rate_limit
from tests.conftest import html

pytestmark = pytest.mark.django_db  # the 429 page shows the partnership's name
factory = RequestFactory()


def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("sent")


def post(view, address="192.0.2.1", **data) -> HttpResponse:
    return view(factory.post("/form/", data, REMOTE_ADDR=address))


@pytest.fixture(autouse=True)
def rates(settings):
    settings.RATE_LIMITS = {"step": "2/h", "send": "1/h", "never": "0/h", "roomy": "100/h"}
    return settings


def test_posts_within_the_limit_reach_the_view_and_then_get_the_429_page():
    view = rate_limit("step")(ok)

    statuses = [post(view).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_the_429_page_says_what_happened_and_when_to_try_again():
    response = post(rate_limit("never")(ok))

    assert response.status_code == 429
    assert html(response).h1.get_text(strip=True) == "Too many attempts from this device"
    assert 0 < int(response["Retry-After"]) <= 3600


def test_only_posts_are_counted():
    view = rate_limit("never")(ok)

    assert [view(factory.get("/form/")).status_code for _ in range(5)] == [200] * 5
    assert view(factory.head("/form/")).status_code == 200
    assert post(view).status_code == 429


def test_every_group_is_counted_even_once_one_is_over():
    both = rate_limit("never", "step")(ok)
    step_only = rate_limit("step")(ok)

    assert post(both).status_code == 429  # "never" is over at once; "step" still counts this POST
    assert post(both).status_code == 429
    assert post(step_only).status_code == 429  # a third POST in "step"


def test_a_limit_over_any_group_refuses():
    view = rate_limit("roomy", "send")(ok)

    assert [post(view).status_code for _ in range(2)] == [200, 429]


def test_a_group_in_when_counts_only_the_posts_its_test_accepts():
    def sending(request: HttpRequest) -> bool:
        return request.POST.get("action") == "send"

    view = rate_limit("roomy", "send", when={"send": sending})(ok)

    adds = [post(view, action="add").status_code for _ in range(3)]
    sends = [post(view, action="send").status_code for _ in range(2)]

    assert adds == [200, 200, 200]
    assert sends == [200, 429]


def test_when_may_name_only_groups_that_are_counted():
    with pytest.raises(ValueError, match="send"):
        rate_limit("step", when={"send": lambda request: True})


def test_each_client_address_has_its_own_count():
    view = rate_limit("send")(ok)

    assert post(view, address="192.0.2.1").status_code == 200
    assert post(view, address="192.0.2.2").status_code == 200
    assert post(view, address="192.0.2.1").status_code == 429


def test_an_ipv6_client_is_counted_by_its_64_bit_network():
    view = rate_limit("send")(ok)

    assert post(view, address="2001:db8:1:2::1").status_code == 200
    assert post(view, address="2001:db8:1:2:ffff::9").status_code == 429
    assert post(view, address="2001:db8:1:3::1").status_code == 200


def test_behind_a_proxy_the_address_comes_from_the_header_it_appended(rates):
    rates.TRUSTED_PROXY_COUNT = 1
    request = factory.post("/form/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="81.2.69.160")

    assert client_address(request) == "81.2.69.160"


def test_a_key_function_counts_per_whatever_it_names():
    view = rate_limit("send", key=lambda request: request.POST["token"])(ok)

    assert post(view, token="first").status_code == 200
    assert post(view, token="second").status_code == 200
    assert post(view, token="first", address="203.0.113.9").status_code == 429  # same token, other address


def test_a_view_of_its_own_answers_over_the_limit_with_the_time_to_wait():
    def too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
        response = JsonResponse({"detail": "Too many"}, status=429)
        response["Retry-After"] = str(retry_after)
        return response

    view = rate_limit("never", over_limit=too_many)(ok)
    response = post(view)

    assert response.status_code == 429
    assert json.loads(response.content) == {"detail": "Too many"}
    assert 0 < int(response["Retry-After"]) <= 3600


def test_rates_are_read_on_each_request(rates):
    view = rate_limit("step")(ok)
    assert post(view).status_code == 200

    rates.RATE_LIMITS = {**rates.RATE_LIMITS, "step": "0/h"}

    assert post(view).status_code == 429


def test_a_refused_post_never_reaches_the_view():
    called = []

    def view(request: HttpRequest) -> HttpResponse:
        called.append(request)
        return HttpResponse()

    post(rate_limit("never")(view))

    assert called == []


def test_the_view_keeps_its_name_and_arguments():
    def question(request: HttpRequest, step: str) -> HttpResponse:
        return HttpResponse(step)

    view = rate_limit("roomy")(question)

    assert view.__name__ == "question"
    assert view(factory.post("/form/", REMOTE_ADDR="192.0.2.1"), step="about").content == b"about"
