"""The public panel on a recommendation page, and the staff pages at /staff/learning/."""

import datetime

import pytest
from django.urls import reverse

from safeguarding.core.staff_menu import staff_menu_for
from safeguarding.learning import services
from safeguarding.reviews import panels
from safeguarding.tracker.models import Action
from tests.accounts.factories import UserFactory
from tests.conftest import html
from tests.partnership.factories import AgencyFactory, BoardFactory
from tests.reviews.factories import RecommendationFactory, ReviewFactory, ThemeFactory
from tests.staff import login_unverified, login_verified
from tests.tracker.factories import ActionFactory

from .factories import SimilarityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def similar():
    """Two real reviews and a training one; the transition recommendations repeat across all three."""
    transition = ThemeFactory(name="Transition to adulthood")
    old = ReviewFactory(short_title="Earlier review", published_on=datetime.date(2018, 2, 1), is_demo=False)
    new = ReviewFactory(short_title="Later review", published_on=datetime.date(2022, 5, 1), is_demo=False)
    training = ReviewFactory(
        short_title="Training example: Testborough", published_on=datetime.date(2024, 1, 1)
    )
    first = RecommendationFactory(
        review=old,
        reference="N2",
        title="Plan the move to adult services",
        text="Start transition planning at 17 so support carries on after the 18th birthday.",
    )
    second = RecommendationFactory(
        review=new,
        reference="4",
        title="Transition planning from 17",
        text="Transition planning with adult services should start at 17, before the 18th birthday.",
    )
    third = RecommendationFactory(
        review=training,
        reference="2",
        title="Start planning the transition at 17",
        text="Children's and adults' services should start transition planning at 17.",
    )
    unrelated = RecommendationFactory(review=new, reference="5", title="Hoarding", text="A hoarding pathway.")
    for rec in (first, second, third):
        rec.themes.add(transition)
    services.similarities_recompute()
    return {"first": first, "second": second, "third": third, "unrelated": unrelated, "theme": transition}


# --- The public recommendation page ---------------------------------------------------------------
def test_recommendation_page_shows_similar_recommendations_in_other_reviews(client, similar):
    page = html(client.get(similar["first"].get_absolute_url()))
    panel = page.select_one("section[aria-labelledby=similar-recommendations]")
    assert panel.h2.get_text(strip=True) == "Similar recommendations in other reviews"
    links = [a["href"] for a in panel.select("li > a")]
    assert similar["second"].get_absolute_url() in links
    assert similar["third"].get_absolute_url() in links
    text = panel.get_text(" ", strip=True)
    assert "out of 100" in text
    assert "transition" in text
    assert "Words both use" in text
    # The training review's recommendation is labelled as such.
    assert panel.select_one(".govuk-tag").get_text(strip=True) == "Training example"
    assert "fictional reviews made for training" in text


def test_no_panel_when_nothing_is_similar_enough(client, similar):
    page = html(client.get(similar["unrelated"].get_absolute_url()))
    assert page.select_one("#similar-recommendations") is None


def test_threshold_setting_hides_weaker_matches(client, similar, settings):
    settings.LEARNING_SIMILARITY_THRESHOLD_PERCENT = 99
    page = html(client.get(similar["first"].get_absolute_url()))
    assert page.select_one("#similar-recommendations") is None


def test_kept_public_page_is_dropped_when_similarities_change(
    client, similar, django_capture_on_commit_callbacks
):
    url = similar["unrelated"].get_absolute_url()
    assert html(client.get(url)).select_one("#similar-recommendations") is None  # now kept in the page cache
    other = ReviewFactory(short_title="Another review")
    RecommendationFactory(review=other, title="Hoarding", text="A hoarding pathway for each agency.")
    with django_capture_on_commit_callbacks(execute=True):
        services.similarities_recompute()
    assert html(client.get(url)).select_one("#similar-recommendations") is not None


def test_a_failing_panel_never_breaks_the_page(client, similar, monkeypatch):
    def broken(*, recommendation):
        raise RuntimeError("boom")

    monkeypatch.setattr(panels, "_providers", [broken, *panels._providers])
    response = client.get(similar["first"].get_absolute_url())
    assert response.status_code == 200
    assert html(response).select_one("#similar-recommendations") is not None


# --- Staff pages ----------------------------------------------------------------------------------
@pytest.fixture
def manager():
    return UserFactory(partnership_manager=BoardFactory())


def test_pairs_page_lists_each_pair_once_best_first(client, similar, manager):
    login_verified(client, manager)
    response = client.get(reverse("learning:pairs"))
    assert response.status_code == 200
    page = html(response)
    assert page.h1.get_text(strip=True) == "Similar recommendations across reviews"
    rows = page.select("#pairs tbody tr")
    assert len(rows) == 3  # three recommendations, each pair once
    scores = [int(row.select("td")[2].span.get_text(strip=True).removeprefix("score ")) for row in rows]
    assert scores == sorted(scores, reverse=True)
    assert "Training example" in page.select_one("#pairs").get_text()


def test_pairs_page_filters_by_review(client, similar, manager):
    login_verified(client, manager)
    training = similar["third"].review
    page = html(client.get(reverse("learning:pairs"), {"review": training.pk}))
    rows = page.select("#pairs tbody tr")
    assert len(rows) == 2
    assert all("Training example: Testborough" in row.get_text() for row in rows)


@pytest.mark.parametrize("value", ["abc", "999999", "1 OR 1=1", "<script>", "-1"])
def test_pairs_page_bad_filter_is_a_clear_400(client, similar, manager, value):
    login_verified(client, manager)
    response = client.get(reverse("learning:pairs"), {"review": value})
    assert response.status_code == 400
    page = html(response)
    assert (
        page.select_one(".govuk-error-summary")
        .get_text(" ", strip=True)
        .endswith("Choose a review from the list")
    )
    assert page.title.get_text().startswith("Error:")


def test_pairs_page_ignores_a_page_number_that_is_not_one(client, similar, manager):
    login_verified(client, manager)
    assert client.get(reverse("learning:pairs"), {"page": "zzz"}).status_code == 200
    assert client.get(reverse("learning:pairs"), {"page": "99999999999"}).status_code == 200


def test_themes_page_shows_themes_over_time_and_open_actions(client, similar, manager):
    agency = AgencyFactory()
    ActionFactory(recommendation=similar["first"], owner_agency=agency, status=Action.Status.IN_PROGRESS)
    ActionFactory(
        recommendation=similar["second"],
        owner_agency=agency,
        status=Action.Status.NOT_STARTED,
        due_date=datetime.date(2020, 1, 1),
    )
    ActionFactory(recommendation=similar["second"], owner_agency=agency, status=Action.Status.COMPLETE)
    login_verified(client, manager)
    page = html(client.get(reverse("learning:themes")))
    headers = [th.get_text(strip=True) for th in page.select("#themes thead th")]
    assert headers == ["Theme", "2018", "2022", "2024", "Reviews", "Open actions"]
    row = page.select_one("#themes tbody tr")
    assert "Transition to adulthood" in row.th.get_text()
    assert "Recurring" in row.th.get_text()
    cells = [td.get_text(" ", strip=True) for td in row.select("td")]
    assert cells == ["1", "1", "1", "3", "2 1 overdue"]
    group = page.select_one("#group-1")
    assert "Seen in 3 reviews (2018, 2022, 2024)" in group.h3.get_text()
    assert "2 open actions" in group.get_text()
    assert "1 overdue" in group.get_text()


def test_empty_pages_say_so(client, manager):
    login_verified(client, manager)
    assert html(client.get(reverse("learning:pairs"))).select_one("#no-pairs") is not None
    page = html(client.get(reverse("learning:themes")))
    assert page.select_one("#no-themes") is not None
    assert page.select_one("#no-groups") is not None


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ({"viewer": True}, 200),
        ({"administrator": True}, 200),
        ("board_member", 200),
        ("partnership_manager", 200),
        ("agency_lead", 404),
        ({"triage_worker": True}, 404),
        ({"exploitation_analyst": True}, 404),
    ],
)
@pytest.mark.parametrize("name", ["learning:pairs", "learning:themes"])
def test_who_may_open_the_staff_pages(client, role, status, name):
    if role == "agency_lead":
        user = UserFactory(agency_lead=AgencyFactory())
    elif isinstance(role, str):
        user = UserFactory(**{role: BoardFactory()})
    else:
        user = UserFactory(**role)
    login_verified(client, user)
    assert client.get(reverse(name)).status_code == status
    menu = [entry.label for entry in staff_menu_for(user)]
    assert ("Learning" in menu) == (status == 200)


@pytest.mark.parametrize("name", ["learning:pairs", "learning:themes"])
def test_signed_out_unverified_and_roleless_are_kept_out(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/staff/account/login/" in response["Location"]
    login_unverified(client, UserFactory(viewer=True))
    assert client.get(reverse(name)).status_code == 302
    login_verified(client, UserFactory())
    assert client.get(reverse(name)).status_code == 403


def test_similarity_factory_pairs_show_in_the_staff_list(client, manager):
    SimilarityFactory(score=0.9)
    login_verified(client, manager)
    assert len(html(client.get(reverse("learning:pairs"))).select("#pairs tbody tr")) == 1
