"""The page layout every public page shares: header, navigation, emergency message, demo label, footer."""

import pytest
from bs4 import BeautifulSoup
from django.template.loader import render_to_string
from django.test import RequestFactory

from tests.conftest import html
from tests.partnership.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

EMERGENCY = "In an emergency, or if someone is in immediate danger, call 999."


def text(element) -> str:
    return " ".join(element.get_text(" ", strip=True).split()).replace(" .", ".")


@pytest.mark.parametrize("url", ["/", "/get-help/", "/reviews/", "/no-such-page/"])
def test_every_page_shows_the_emergency_message_with_a_999_link(client, url):
    page = html(client.get(url))
    emergency = page.select_one("[role=region][aria-label=Emergency]")
    assert emergency is not None
    assert text(emergency.select_one("p")) == EMERGENCY
    assert emergency.select_one('a[href="tel:999"]').get_text(strip=True) == "999"


def test_header_shows_the_partnerships_own_name_and_no_govuk_branding(client):
    PartnershipFactory(name="Testborough Safeguarding Partnerships")
    page = html(client.get("/"))
    header = page.select_one("header")
    assert "Testborough Safeguarding Partnerships" in text(header.select_one("a[href='/']"))
    assert "GOV.UK" not in page.get_text()
    assert page.select_one(".govuk-logo, .govuk-header__logotype, .govuk-footer__crown") is None
    assert page.title.get_text().startswith("Testborough Safeguarding Partnerships")
    help_page = html(client.get("/get-help/"))
    title = help_page.title.get_text()
    assert title.startswith("Get help or report a concern")
    assert title.endswith("Testborough Safeguarding Partnerships")


def test_header_shows_a_placeholder_name_before_any_content_is_loaded(client):
    page = html(client.get("/"))
    assert text(page.select_one("header a[href='/']")) == "Safeguarding Partnership Toolkit"


@pytest.mark.parametrize(
    ("url", "current"),
    [("/", "Home"), ("/reviews/", "Reviews"), ("/get-help/", "Get help")],
)
def test_service_navigation_marks_the_current_section(client, url, current):
    nav = html(client.get(url)).select_one("nav.govuk-service-navigation__wrapper")
    links = {text(a): a for a in nav.select("a.govuk-service-navigation__link")}
    assert set(links) == {"Home", "Reviews", "Get help"}
    assert links["Reviews"]["href"] == "/reviews/"
    assert links["Get help"]["href"] == "/get-help/"
    marked = [name for name, a in links.items() if a.get("aria-current")]
    assert marked == [current]
    assert links[current]["aria-current"] == "page"
    # The mark is not colour alone: the current item is also bold text.
    assert links[current].select_one("strong") is not None


def test_footer_links_to_help_reviews_and_the_api_schema(client):
    PartnershipFactory(name="Testborough Safeguarding Partnerships")
    footer = html(client.get("/get-help/")).select_one("footer")
    hrefs = {a["href"] for a in footer.select("a")}
    assert {"/get-help/", "/reviews/", "/api/v1/schema/"} <= hrefs
    assert "Testborough Safeguarding Partnerships" in text(footer)


def test_pages_have_no_inline_script_or_style_and_load_only_from_our_origin(client):
    page = html(client.get("/"))
    scripts = page.select("script")
    assert scripts, "the page should load its scripts"
    for script in scripts:
        assert script.get("src", "").startswith("/static/"), "inline scripts break the CSP"
        assert not script.get_text(strip=True)
    assert page.select("[style]") == []
    for link in page.select("link[href]"):
        assert link["href"].startswith("/static/")
    # govuk-frontend's first script sets js-enabled before anything is drawn: it must be first in <body>.
    assert page.body.find("script")["src"].endswith("js/init.js")


def render_base(**context) -> str:
    request = RequestFactory().get("/")
    return render_to_string("base.html", context, request=request)


def test_demo_pages_carry_a_training_material_banner():
    page = BeautifulSoup(render_base(demo=True), "html.parser")
    banner = page.select_one(".govuk-notification-banner")
    assert banner is not None
    assert "fictional training material, not a real review" in text(banner)
    assert banner["role"] == "region"
    assert banner["aria-labelledby"] == banner.select_one("h2")["id"]


@pytest.mark.parametrize("context", [{}, {"demo": False}])
def test_other_pages_have_no_training_material_banner(context):
    page = BeautifulSoup(render_base(**context), "html.parser")
    assert page.select_one(".govuk-notification-banner") is None
    assert "training material" not in page.get_text()


def test_pages_can_fill_the_breadcrumbs_block():
    from django.template import engines

    template = engines["django"].from_string(
        '{% extends "base.html" %}{% block breadcrumbs %}<nav class="govuk-breadcrumbs">Crumbs</nav>'
        "{% endblock %}{% block content %}<h1>Page</h1>{% endblock %}"
    )
    page = BeautifulSoup(template.render({}, RequestFactory().get("/")), "html.parser")
    crumbs = page.select_one(".govuk-breadcrumbs")
    assert crumbs is not None
    # Breadcrumbs come before the main content, after the emergency message.
    assert crumbs.find_parent("main") is None
    assert crumbs.find_previous(attrs={"aria-label": "Emergency"}) is not None
