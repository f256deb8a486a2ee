"""The analyst's pages, as an analyst sees them: networks, a network, a link, hotspots, alerts; one audit
event per showing, ids and counts only; decisions through the services; nothing typed in an address."""

import json
import re

import pytest

from safeguarding.audit.models import AuditEvent
from safeguarding.linking.models import Alert, Link, Network
from tests.concerns.factories import TeamMemberFactory
from tests.conftest import html
from tests.linking.factories import PHONE, AnalystFactory, linked_network
from tests.staff import login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return linked_network()


@pytest.fixture
def analyst_client(client):
    analyst = AnalystFactory(first_name="Ana", last_name="Lyst")
    login_verified(client, analyst)
    client.analyst = analyst
    return client


def _views() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(kind=AuditEvent.Kind.VIEWED).order_by("sequence"))


def _post(client, url: str, data: dict):
    page = html(client.get(url))
    token = page.select_one("input[name=csrfmiddlewaretoken]")["value"]
    return client.post(url, {"csrfmiddlewaretoken": token, **data})


def test_the_network_list_shows_counts_and_is_audited_once(world, analyst_client):
    before = len(_views())
    response = analyst_client.get("/staff/networks/")
    assert response.status_code == 200
    page = html(response)
    assert page.h1.get_text(strip=True) == "Networks of linked concerns"
    [row] = page.select("#networks tbody tr")
    cells = [td.get_text(strip=True) for td in row.select("td")]
    assert cells[0] == f"Network {world.network.pk}"
    assert cells[1:3] == ["5", "3"]  # five concerns, three different people at risk
    assert cells[4] == "1"  # one open alert
    assert page.select_one("table[data-module=moj-sortable-table]")
    events = _views()[before:]
    assert [e.summary for e in events] == ["Networks listed"]
    assert events[0].data == {"networks": [world.network.pk]}
    assert events[0].actor_id == analyst_client.analyst.pk


def test_the_network_page_shows_people_things_links_timeline_picture_and_table(world, analyst_client):
    before = len(_views())
    response = analyst_client.get(f"/staff/networks/{world.network.pk}/")
    assert response.status_code == 200
    page = html(response)
    text = page.get_text(" ", strip=True)
    assert page.h1.get_text(strip=True) == f"Network {world.network.pk}"
    references = [td.get_text(strip=True) for td in page.select("#concerns tbody tr td:first-child")]
    assert references == [c.reference for c in world.concerns]
    at_risk = page.select_one("[data-section=people-at-risk]").get_text(" ", strip=True)
    assert "Tia Fictional" in at_risk
    assert "Maya Madeup" in at_risk
    assert "Skye Notreal" in at_risk
    assert "Tia Somebody" not in text  # the unrelated concern is not in the network
    assert "Known as Zeph" in page.select_one("[data-section=people-harming]").get_text(" ", strip=True)
    assert "KX19 FTV" in page.select_one("[data-section=vehicles]").get_text(" ", strip=True)
    assert "+447700900777" in page.select_one("[data-section=phones]").get_text(" ", strip=True)
    # Every link with its badge and reasons in words, and a way to decide on it.
    links = Link.objects.filter(concern_low__in=world.concerns, concern_high__in=world.concerns)
    rows = page.select("#links tbody tr")
    assert len(rows) == links.count()
    assert all(row.select_one(".moj-badge") for row in rows)
    assert "same registration KX19 FTV in both" in page.select_one("#links").get_text(" ", strip=True)
    # The picture: an SVG with a role, a title and a description, one circle per concern...
    svg = page.select_one("svg.toolkit-network-graph")
    assert svg["role"] == "img"
    assert svg.select_one("title").get_text() == f"Picture of network {world.network.pk}"
    assert "The table after the picture gives the same information" in svg.select_one("desc").get_text()
    assert len(svg.select("circle")) == 5
    assert len(svg.select("line")) == links.exclude(status="rejected").count()
    # ...and the table carrying the same: every link, with its strength and reasons.
    table_rows = page.select("#graph-table tbody tr")
    assert len(table_rows) == links.count()
    assert "same phone +447700900777 in both" in page.select_one("#graph-table").get_text(" ", strip=True)
    # The MoJ timeline: each concern received, and the alert raised.
    titles = [t.get_text(strip=True) for t in page.select("#timeline .moj-timeline__title")]
    assert f"Concern {world.concerns[0].reference} received" in titles
    assert f"Alert {world.alert.pk} raised" in titles
    events = _views()[before:]
    assert len(events) == 1
    assert events[0].target_type == "linking.network"
    assert events[0].target_id == str(world.network.pk)
    assert events[0].data == {"concerns": 5, "links": links.count(), "alerts": 1}


def test_the_picture_is_drawn_the_same_way_every_time(world, analyst_client):
    first = html(analyst_client.get(f"/staff/networks/{world.network.pk}/")).select_one("svg")
    again = html(analyst_client.get(f"/staff/networks/{world.network.pk}/")).select_one("svg")
    assert str(first) == str(again)


def test_rejecting_a_link_needs_a_reason_then_updates_the_network(world, analyst_client):
    # The first and fourth concerns are the same young person in the same car: reject that link.
    link = world.link(0, 3)
    url = f"/staff/networks/links/{link.pk}/?network={world.network.pk}"
    response = _post(analyst_client, url, {"decision": "reject", "reason": ""})
    assert response.status_code == 200
    page = html(response)
    assert "Enter the reason for your decision" in page.select_one(".govuk-error-summary").get_text()
    assert page.title.get_text().startswith("Error:")
    link.refresh_from_db()
    assert link.status == "open"

    response = _post(analyst_client, url, {"decision": "reject", "reason": "A different car, misread."})
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.status, link.decision_reason) == ("rejected", "A different car, misread.")
    followed = html(analyst_client.get(response["Location"]))
    row = followed.select_one(f"#links tr[data-link='{link.pk}']")
    assert "Rejected" in row.select_one(".moj-badge").get_text()
    assert "A different car, misread." in row.get_text()
    # The rejected link is no longer drawn, and the timeline says who rejected it.
    assert len(followed.select("svg line")) == len(followed.select("#links tbody tr")) - 1
    assert any("rejected" in t.get_text() for t in followed.select("#timeline .moj-timeline__title"))
    update = AuditEvent.objects.filter(kind=AuditEvent.Kind.UPDATED, target_type="linking.link").last()
    assert update.changes["status"] == ["open", "rejected"]
    assert "misread" not in json.dumps(update.data) + json.dumps(update.changes) + update.summary


def test_confirming_a_link_makes_it_confirmed(world, analyst_client):
    link = world.link(0, 1)
    response = _post(
        analyst_client, f"/staff/networks/links/{link.pk}/", {"decision": "confirm", "reason": "Same car."}
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.status, link.strength) == ("confirmed", "confirmed")


def test_a_link_page_is_audited_once_and_shows_its_reasons(world, analyst_client):
    link = world.link(0, 1)
    before = len(_views())
    page = html(analyst_client.get(f"/staff/networks/links/{link.pk}/"))
    assert "same registration KX19 FTV in both" in page.select_one("#reasons").get_text()
    events = _views()[before:]
    assert [(e.target_type, e.target_id) for e in events] == [("linking.link", str(link.pk))]


def test_hotspots_filter_by_period_and_kind_with_codes_only_in_the_address(world, analyst_client):
    before = len(_views())
    page = html(analyst_client.get("/staff/networks/hotspots/?period=all&kinds=vehicles&kinds=phones"))
    headings = [h.get_text(strip=True) for h in page.select(".moj-filter-layout__content h2")]
    assert headings == ["Vehicles", "Phone numbers"]
    text = page.select_one(".moj-filter-layout__content").get_text(" ", strip=True)
    assert "KX19 FTV 3" in text  # in three concerns
    assert "+447700900777 3" in text
    # Only the last 3 months: the latest concern alone mentions the phone, so nothing is a hotspot.
    recent = html(analyst_client.get("/staff/networks/hotspots/?period=3&kinds=phones"))
    assert "None in two or more concerns" in recent.get_text()
    # A filter the form does not offer is an error on the page, never a 500.
    bad = analyst_client.get("/staff/networks/hotspots/?period=999&kinds=passports")
    assert bad.status_code == 200
    assert html(bad).select_one(".govuk-error-summary")
    events = _views()[before:]
    assert [e.summary for e in events] == ["Hotspots viewed"] * 3
    assert events[0].data["shown"] == {"vehicles": 1, "phones": 1}
    # The form is GET with codes only: no value a person typed can get into an address.
    form = page.select_one("form[method=get]")
    names = {field["name"] for field in form.select("input")}
    assert names == {"period", "kinds"}


def test_alert_queue_filters_and_an_alert_is_acknowledged_assigned_and_closed(world, analyst_client):
    colleague = TeamMemberFactory(teams=["exploitation"], triage_worker=True, first_name="Col")
    queue = html(analyst_client.get("/staff/alerts/"))
    assert [a.get_text(strip=True) for a in queue.select("#alerts tbody td:first-child a")] == [
        f"Alert {world.alert.pk}"
    ]
    assert "3 different people at risk" not in queue.get_text()  # the reason names values: not listed
    url = f"/staff/alerts/{world.alert.pk}/"
    page = html(analyst_client.get(url))
    assert "3 different people at risk" in page.select_one("#reason").get_text()
    assert page.select_one(f"a[href='/staff/networks/{world.network.pk}/']")

    assert _post(analyst_client, url, {"action": "acknowledge"}).status_code == 302
    assert _post(analyst_client, url, {"action": "assign", "to": colleague.pk}).status_code == 302
    empty = _post(analyst_client, url, {"action": "close", "outcome": "  "})
    assert empty.status_code == 200
    assert "Enter the outcome" in html(empty).select_one(".govuk-error-summary").get_text()
    assert (
        _post(
            analyst_client, url, {"action": "close", "outcome": "Taken to the exploitation meeting."}
        ).status_code
        == 302
    )
    world.alert.refresh_from_db()
    assert (world.alert.status, world.alert.assigned_to, world.alert.outcome) == (
        "closed",
        colleague,
        "Taken to the exploitation meeting.",
    )
    assert html(analyst_client.get("/staff/alerts/")).select_one("#no-alerts")
    closed = html(analyst_client.get("/staff/alerts/?show=closed"))
    assert closed.select("#alerts tbody tr")
    nonsense = analyst_client.get("/staff/alerts/?show=%3Cscript%3E")
    assert nonsense.status_code == 200


def test_assigning_to_someone_outside_the_team_is_a_clear_error(world, analyst_client):
    outsider = TeamMemberFactory(teams=["adult-social-care"], triage_worker=True)
    response = _post(
        analyst_client, f"/staff/alerts/{world.alert.pk}/", {"action": "assign", "to": outsider.pk}
    )
    assert response.status_code == 200
    assert html(response).select_one(".govuk-error-summary")
    assert Alert.objects.get(pk=world.alert.pk).assigned_to is None


def test_no_value_is_ever_in_an_address_on_the_pages(world, analyst_client):
    urls = [
        "/staff/networks/",
        f"/staff/networks/{world.network.pk}/",
        "/staff/networks/hotspots/?period=all",
    ]
    urls += [
        f"/staff/networks/links/{world.link(0, 1).pk}/",
        "/staff/alerts/",
        f"/staff/alerts/{world.alert.pk}/",
    ]
    values = ["kx19", "ftv", "900777", "7700", "zeph", "tia", "maya", "skye", "fictional", "madeup"]
    for url in urls:
        page = html(analyst_client.get(url))
        addresses = [a.get("href", "") for a in page.select("a[href]")] + [
            f.get("action", "") for f in page.select("form")
        ]
        for address in addresses:
            assert not any(value in address.lower() for value in values), (url, address)
    assert PHONE


def test_an_old_network_address_leads_to_the_network_that_took_its_place(world, analyst_client):
    old = Network.objects.create(signature="x", active=False, merged_into=world.network)
    response = analyst_client.get(f"/staff/networks/{old.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/networks/{world.network.pk}/"


def test_an_unknown_id_is_404(analyst_client):
    for url in ["/staff/networks/999999/", "/staff/networks/links/999999/", "/staff/alerts/999999/"]:
        assert analyst_client.get(url).status_code == 404


def test_an_analyst_signs_in_to_the_networks(analyst_client):
    # The staff menu offers networks and alerts to those who may see them.
    page = html(analyst_client.get("/staff/networks/"))
    menu = [a.get_text(strip=True) for a in page.select(".govuk-service-navigation__link")]
    assert "Networks" in menu
    assert "Alerts" in menu
    assert re.search(r"Networks", page.select_one(".moj-sub-navigation").get_text())


def test_no_page_of_decrypted_values_is_kept_in_any_cache(world, analyst_client):
    for url in [
        f"/staff/networks/{world.network.pk}/",
        "/staff/networks/hotspots/",
        f"/staff/alerts/{world.alert.pk}/",
    ]:
        assert analyst_client.get(url)["Cache-Control"] == "no-store"
