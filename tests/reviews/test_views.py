"""The public pages of the toolkit, as a person sees them: reviews, search, a review, a recommendation
and the 7-minute briefing."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguarding.core.page_cache import local_clear
from safeguarding.partnership.models import ContactPoint
from safeguarding.reviews.models import Recommendation, ReviewMilestone
from safeguarding.reviews.search import search_index_review
from tests.conftest import html
from tests.partnership.factories import AgencyFactory, BoardFactory, ContactPointFactory, PartnershipFactory
from tests.reviews.factories import (
    FindingFactory,
    MediaFactory,
    MilestoneFactory,
    RecommendationFactory,
    ResourceFactory,
    ReviewFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def _text(element) -> str:
    return " ".join(element.get_text(" ").split())


def _h1(response) -> str:
    headings = html(response).select("h1")
    assert len(headings) == 1
    return _text(headings[0])


def _recommendation_links(response) -> list[str]:
    return [_text(a) for a in html(response).select(".toolkit-recommendation-list h3 a")]


def _queries(client, url) -> int:
    """Queries of a page rendered from nothing: what the page cache keeps is forgotten first."""
    local_clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.fixture(autouse=True)
def partnership():
    return PartnershipFactory()


@pytest.fixture
def review():
    review = ReviewFactory(
        slug="training-review",
        title="Training review into a fictional case of exploitation",
        short_title="Training review",
        review_type="jscr",
        period_covered="2010 to 2015",
        reviewer="A. N. Example (fictional)",
        summary="Young people were **harmed** over several years.",
        background="A fictional investigation came first.",
        recommendations_summary="The review made 12 recommendations; this toolkit holds 3.",
        report_url="https://example.org/report",
        briefing_key_learning="Exploitation happens to adults as well.",
        briefing_for_you="Look for patterns across agencies.",
        briefing_questions=["Who in your team knows the signs?", "How would you share a worry?"],
        boards=[BoardFactory(name="Testborough Children's Partnership")],
    )
    return review


@pytest.fixture
def recommendations(review):
    transition, sharing = (
        ThemeFactory(name="Transition to adulthood"),
        ThemeFactory(name="Information sharing"),
    )
    finding = FindingFactory(review=review, title="Sympathy fell away at eighteen")
    first = RecommendationFactory(
        review=review,
        reference="N1",
        reference_is_provisional=True,
        order=1,
        title="Plan moves to adult services",
        audience="children",
        addressee="local",
        public_status="progressed_in_full",
        finding=finding,
        practice_learning="Start planning when a young person turns **sixteen**.",
        what_changed="A joint transitions panel meets monthly.",
        reflective_questions=["Who owns the plan?"],
        public_status_note="Signed off by both boards.",
        addressed_to="",
    )
    first.themes.add(transition)
    first.lead_agencies.add(AgencyFactory(name="Testborough Council"))
    ResourceFactory(review=review, recommendation=first, title="Transitions protocol")
    second = RecommendationFactory(
        review=review,
        reference="N2",
        reference_is_provisional=True,
        order=2,
        title="Research perpetrators",
        audience="adults",
        addressee="national",
        public_status="in_progress",
        addressed_to="Government",
    )
    second.themes.add(sharing)
    third = RecommendationFactory(
        review=review,
        reference="12",
        order=3,
        title="Share records across agencies",
        audience="both",
        addressee="local",
        public_status="not_started",
    )
    third.themes.add(sharing)
    search_index_review(review=review)
    return [first, second, third]


# --- The list and search ----------------------------------------------------------------------------


def test_the_list_shows_published_reviews_only(client, review):
    ReviewFactory(title="A hidden draft review", is_published=False)

    response = client.get(reverse("reviews:list"))

    assert response.status_code == 200
    assert _h1(response) == "Reviews"
    titles = [_text(a) for a in html(response).select(".toolkit-review-list h3 a")]
    assert titles == [review.title]
    assert "1 review" in _text(html(response).select_one("#results h2"))


def test_list_filters_change_the_reviews_listed(client, review, recommendations):
    other = ReviewFactory(review_type="cspr", title="A child practice review")
    RecommendationFactory(review=other, audience="children")

    def titles(query):
        response = client.get(reverse("reviews:list") + query)
        assert response.status_code == 200
        return {_text(a) for a in html(response).select(".toolkit-review-list h3 a")}

    assert titles("?review_type=cspr") == {other.title}
    assert titles("?audience=adults") == {review.title}
    assert titles("?audience=children") == {review.title, other.title}
    theme = recommendations[0].themes.get()
    assert titles(f"?theme={theme.slug}") == {review.title}


def test_list_filters_are_checkboxes_that_stay_checked_and_can_be_cleared(client, review, recommendations):
    response = client.get(reverse("reviews:list") + "?q=share&review_type=jscr")

    page = html(response)
    checkbox = page.select_one("input[type=checkbox][name=review_type][value=jscr]")
    assert checkbox.has_attr("checked")
    assert page.select_one("form[method=get] button[type=submit]")
    assert "Type of review: Joint serious case review" in _text(page.select_one("#results"))
    clear = page.find("a", string="Clear filters")
    assert clear["href"] == "?q=share"


def test_search_finds_a_recommendation_by_a_word_in_its_practice_learning(client, review, recommendations):
    response = client.get(reverse("reviews:list"), {"q": "sixteen"})

    page = html(response)
    links = [a["href"] for a in page.select(".toolkit-review-list h3 a")]
    assert links == [reverse("reviews:recommendation", kwargs={"slug": review.slug, "reference": "N1"})]
    assert "0 reviews and 1 recommendation match “sixteen”" in _text(page.select_one("#results h2"))
    assert "Training review" in _text(page.select_one(".toolkit-review-list"))
    assert page.select_one("input[name=q]")["value"] == "sixteen"


def test_search_with_no_results_says_so(client, review, recommendations):
    response = client.get(reverse("reviews:list"), {"q": "zebra"})

    page = html(response)
    assert _text(page.select_one("#results h2")) == "No reviews or recommendations match “zebra”"
    assert not page.select(".toolkit-review-list h3")


def test_search_does_not_find_unpublished_reviews(client):
    hidden = ReviewFactory(summary="A secret draft about persistence.", is_published=False)
    search_index_review(review=hidden)

    response = client.get(reverse("reviews:list"), {"q": "persistence"})

    assert not html(response).select(".toolkit-review-list h3")


def test_the_list_paginates_past_twenty_reviews(client):
    for day in range(1, 22):
        ReviewFactory(published_on=datetime.date(2024, 1, day))

    first = html(client.get(reverse("reviews:list")))
    second = html(client.get(reverse("reviews:list"), {"page": "2"}))

    assert len(first.select(".toolkit-review-list h3")) == 20
    assert len(second.select(".toolkit-review-list h3")) == 1
    assert first.select_one(".govuk-pagination a[rel=next]")["href"] == "?page=2"
    assert _text(second.select_one(".govuk-pagination__item--current")) == "2"


@pytest.mark.parametrize(
    "query",
    [
        "?page=abc",
        "?page=-1",
        "?page=99999",
        "?page=99999999999999999999",
        "?theme=no-such-theme",
        "?review_type=%3Cscript%3E",
        "?audience=everyone&board=nowhere",
        '?q="unbalanced',
        "?q=NEAR(",
        "?q=" + "x" * 5000,
        "?q=%00",
    ],
)
def test_bad_list_parameters_still_give_a_page(client, review, query):
    response = client.get(reverse("reviews:list") + query)

    assert response.status_code == 200
    assert _h1(response) == "Reviews"


def test_unknown_filter_values_are_reported_as_ignored(client, review):
    response = client.get(reverse("reviews:list") + "?theme=no-such-theme")

    assert "were not recognised, so they have been ignored" in _text(html(response))
    assert "no-such-theme" not in _text(html(response))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(), theme=st.text())
def test_any_search_text_gives_a_page(client, query, theme):
    response = client.get(reverse("reviews:list"), {"q": query, "theme": theme})

    assert response.status_code == 200


def test_list_and_search_queries_do_not_grow_with_rows(client):
    """Searches where only recommendations match, and where only reviews match, each cost the same
    number of queries for 1 row as for 30 (a page mixing both costs the two loads together)."""
    list_url = reverse("reviews:list")
    recommendations_url = list_url + "?q=persistent&audience=both"
    reviews_url = list_url + "?q=harbour&review_type=sar"

    def add_review():
        review = ReviewFactory(summary="A harbour town.")
        review.boards.add(BoardFactory())
        RecommendationFactory(review=review, text="Persistent perpetrators.").themes.add(ThemeFactory())
        search_index_review(review=review)

    add_review()
    counts_for_one = [_queries(client, url) for url in (list_url, recommendations_url, reviews_url)]
    for _ in range(29):
        add_review()

    assert html(client.get(recommendations_url)).select_one("#results h2").get_text().split()[3] == "30"
    assert [_queries(client, url) for url in (list_url, recommendations_url, reviews_url)] == counts_for_one


# --- A review ----------------------------------------------------------------------------------------


def test_the_review_page_shows_the_review(client, review, recommendations):
    MilestoneFactory(
        review=review,
        title="Joint sign-off",
        date=datetime.date(2019, 11, 1),
        precision=ReviewMilestone.Precision.MONTH,
    )
    MilestoneFactory(review=review, title="Published", date=datetime.date(2018, 2, 23))
    MilestoneFactory(
        review=review,
        title="Commissioned",
        date=datetime.date(2015, 1, 1),
        precision=ReviewMilestone.Precision.YEAR,
    )

    response = client.get(review.get_absolute_url())

    assert response.status_code == 200
    assert response.context["demo"] is True
    page = html(response)
    assert _h1(response) == review.title
    facts = {_text(row.dt): _text(row.dd) for row in page.select(".govuk-summary-list__row")}
    assert facts["Type of review"] == "Joint serious case review"
    assert facts["Published"] == "1 March 2024"
    assert facts["Period covered"] == "2010 to 2015"
    assert facts["Independent reviewer"] == "A. N. Example (fictional)"
    assert "Testborough Children's Partnership" in facts["Commissioned by"]
    assert facts["November 2019"] == "Joint sign-off"
    assert facts["23 February 2018"] == "Published"
    assert facts["2015"] == "Commissioned"
    assert "harmed" in [s.get_text() for s in page.select("main strong")]
    assert "Sympathy fell away at eighteen" in _text(page)
    assert "The review made 12 recommendations; this toolkit holds 3." in _text(page)
    assert _recommendation_links(response) == [
        "Plan moves to adult services",
        "Research perpetrators",
        "Share records across agencies",
    ]
    links = {a["href"] for a in page.select("main a")}
    assert "https://example.org/report" in links
    assert reverse("reviews:briefing", kwargs={"slug": review.slug}) in links
    assert reverse("reviews:briefing-pdf", kwargs={"slug": review.slug}) in links


def test_each_recommendation_shows_its_reference_audience_addressee_and_status(
    client, review, recommendations
):
    page = html(client.get(review.get_absolute_url()))

    items = page.select(".toolkit-recommendation-list__item")
    first, second = _text(items[0]), _text(items[1])
    assert "Recommendation N1" in first
    assert "toolkit" not in first  # said once on the page, not on every item (issue 11)
    assert "For Children" in first
    assert "Progress Progressed in full" in first
    assert items[0].select_one(".govuk-tag--green")
    assert "Addressed to Government" in second
    assert "given by this toolkit" not in _text(items[2])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?audience=children", ["Plan moves to adult services", "Share records across agencies"]),
        ("?audience=both", ["Share records across agencies"]),
        ("?addressee=national", ["Research perpetrators"]),
        (
            "?status=in_progress&status=not_started",
            ["Research perpetrators", "Share records across agencies"],
        ),
        ("?audience=adults&addressee=local", ["Share records across agencies"]),
    ],
)
def test_filters_change_the_recommendations_listed(client, review, recommendations, query, expected):
    response = client.get(review.get_absolute_url() + query)

    assert _recommendation_links(response) == expected
    assert f"Showing {len(expected)} of 3 recommendations" in _text(html(response))


def test_the_theme_filter_offers_the_review_themes(client, review, recommendations):
    ThemeFactory(name="A theme of no recommendation here")
    page = html(client.get(review.get_absolute_url()))

    labels = [_text(label) for label in page.select("input[name=theme] + label")]
    assert labels == ["Information sharing", "Transition to adulthood"]
    sharing = page.select_one("input[name=theme] + label")
    value = page.select_one(f"#{sharing['for']}")["value"]
    response = client.get(review.get_absolute_url(), {"theme": value})
    assert _recommendation_links(response) == ["Research perpetrators", "Share records across agencies"]


def test_bad_recommendation_filters_are_ignored_with_a_message(client, review, recommendations):
    response = client.get(review.get_absolute_url() + "?audience=martians&status=%00&theme=x&addressee=")

    assert response.status_code == 200
    assert len(_recommendation_links(response)) == 3
    assert "were not recognised, so they have been ignored" in _text(html(response))


def test_no_matching_recommendations_says_so(client, review, recommendations):
    response = client.get(review.get_absolute_url() + "?audience=both&addressee=national")

    assert _recommendation_links(response) == []
    assert "No recommendations match these filters" in _text(html(response))


def test_media_has_a_transcript_and_an_external_video_is_only_a_link(client, review):
    MediaFactory(
        review=review,
        title="Film on another site",
        url="https://example.org/film",
        transcript="Narrator: hello.",
    )
    MediaFactory(
        review=review, title="Film kept here", url="", file="media/film.mp4", transcript="Narrator: local."
    )

    page = html(client.get(review.get_absolute_url()))

    assert not page.select("iframe")
    assert page.find("a", href="https://example.org/film")
    videos = page.select("video[controls]")
    assert [v["src"] for v in videos] == ["/media/media/film.mp4"]
    transcripts = [_text(d) for d in page.select("details.govuk-details")]
    assert any("Narrator: hello." in t for t in transcripts)
    assert any("Narrator: local." in t for t in transcripts)


def test_unknown_and_unpublished_reviews_are_not_found(client):
    hidden = ReviewFactory(is_published=False)

    assert client.get(reverse("reviews:detail", kwargs={"slug": "no-such-review"})).status_code == 404
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(reverse("reviews:briefing", kwargs={"slug": hidden.slug})).status_code == 404


def test_review_page_queries_do_not_grow_with_recommendations(client):
    def review_with(count):
        review = ReviewFactory()
        theme, agency = ThemeFactory(), AgencyFactory()
        FindingFactory(review=review)
        MediaFactory(review=review)
        for _ in range(count):
            recommendation = RecommendationFactory(review=review)
            recommendation.themes.add(theme, ThemeFactory())
            recommendation.lead_agencies.add(agency)
        return review

    small, large = review_with(1), review_with(30)

    one = _queries(client, small.get_absolute_url() + "?audience=children")
    assert _queries(client, large.get_absolute_url() + "?audience=children") == one


# --- A recommendation ---------------------------------------------------------------------------------


def test_the_recommendation_page_shows_all_its_learning(client, review, recommendations):
    first = recommendations[0]

    response = client.get(first.get_absolute_url())

    assert response.status_code == 200
    page = html(response)
    assert _h1(response) == "Plan moves to adult services"
    assert "Recommendation N1" in _text(page.select_one(".govuk-caption-l"))
    about = _text(page.select_one(".toolkit-content-note"))
    assert "N1 is our label for this recommendation" in about
    assert len(page.select("main .govuk-inset-text")) == 1  # the finding; no notice boxes before it
    facts = {_text(row.dt): _text(row.dd) for row in page.select(".govuk-summary-list__row")}
    assert facts["Who it is for"] == "Children"
    assert facts["Addressed to"] == "Local agencies"
    assert facts["Lead agencies"] == "Testborough Council"
    assert facts["Themes"] == "Transition to adulthood"
    assert facts["Progress"] == "Progressed in full Signed off by both boards."
    headings = [_text(h) for h in page.select("main h2")]
    assert headings == [
        "What it asks",
        "Why",
        "What has changed",
        "What it means for practice",
        "Questions to reflect on",
        "Resources",
        "About this page",
    ]
    assert "Sympathy fell away at eighteen" in _text(page)
    assert "sixteen" in [s.get_text() for s in page.select("main strong")]
    assert "Who owns the plan?" in _text(page)
    assert page.find("a", string="Transitions protocol")
    assert "A joint transitions panel meets monthly." in _text(page)


def test_previous_and_next_recommendations_are_linked(client, review, recommendations):
    page = html(client.get(recommendations[1].get_absolute_url()))

    assert page.select_one("a[rel=prev]")["href"] == recommendations[0].get_absolute_url()
    assert page.select_one("a[rel=next]")["href"] == recommendations[2].get_absolute_url()
    first_page = html(client.get(recommendations[0].get_absolute_url()))
    assert not first_page.select("a[rel=prev]")


def test_unknown_references_and_unpublished_reviews_give_404(client, review, recommendations):
    assert (
        client.get(
            reverse("reviews:recommendation", kwargs={"slug": review.slug, "reference": "99"})
        ).status_code
        == 404
    )
    hidden = RecommendationFactory(review=ReviewFactory(is_published=False))
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_a_recommendation_of_a_real_review_is_not_marked_as_demo(client):
    recommendation = RecommendationFactory(review=ReviewFactory(is_demo=False))

    assert client.get(recommendation.get_absolute_url()).context["demo"] is False


# --- The briefing -----------------------------------------------------------------------------------


def test_the_briefing_shows_learning_questions_and_where_to_get_help(client, review, recommendations):
    ContactPointFactory(
        kind=ContactPoint.Kind.FRONT_DOOR,
        audience=ContactPoint.Audience.CHILDREN,
        name="Children's front door",
        phone="0191 498 0100",
    )
    ContactPointFactory(
        kind=ContactPoint.Kind.OUT_OF_HOURS,
        audience=ContactPoint.Audience.ANYONE,
        name="Emergency duty team",
        phone="0191 498 0101",
        hours="Evenings, weekends and bank holidays",
    )

    response = client.get(reverse("reviews:briefing", kwargs={"slug": review.slug}))

    assert response.status_code == 200
    page = html(response)
    assert _h1(response) == review.title
    headings = [_text(h) for h in page.select("main h2")]
    assert headings[:5] == [
        "1. What happened",
        "2. Key learning",
        "3. What it means for you",
        "4. Questions for your team",
        "5. Where to get help",
    ]
    questions = [_text(li) for li in page.select("section[aria-labelledby=questions] li")]
    assert questions == ["Who in your team knows the signs?", "How would you share a worry?"]
    help_text = _text(page.select_one("section[aria-labelledby=get-help]"))
    assert "call 999" in help_text
    assert "0191 498 0100" in help_text
    assert "Evenings, weekends and bank holidays" in help_text
    assert page.find("a", href="tel:01914980101")
    assert "Exploitation happens to adults as well." in _text(page)
    assert "Sympathy fell away at eighteen" in _text(page)
    assert page.find("a", href=reverse("reviews:briefing-pdf", kwargs={"slug": review.slug}))


def test_every_review_page_has_one_h1(client, review, recommendations):
    urls = [
        reverse("reviews:list"),
        reverse("reviews:list") + "?q=share",
        reverse("reviews:list") + "?q=zebra",
        review.get_absolute_url(),
        recommendations[0].get_absolute_url(),
        reverse("reviews:briefing", kwargs={"slug": review.slug}),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(html(response).select("h1")) == 1, url


def test_pages_are_read_only(review):
    client = Client()  # without CSRF checks, so that the method is what is refused
    assert client.post(reverse("reviews:list")).status_code == 405
    assert client.post(review.get_absolute_url()).status_code == 405


def test_recommendation_audience_choices_are_all_filterable():
    # The audience filter offers every audience a recommendation can have.
    from safeguarding.reviews.selectors import AUDIENCE_MATCHES

    assert set().union(*AUDIENCE_MATCHES.values()) == set(Recommendation.Audience.values)


def test_the_content_note_is_shown_on_the_review_recommendation_and_briefing(client):
    review = ReviewFactory(content_note="Summarised in the toolkit's own words.", briefing_questions=["Why?"])
    RecommendationFactory(review=review, reference="4")
    for url in [
        f"/reviews/{review.slug}/",
        f"/reviews/{review.slug}/recommendations/4/",
        f"/reviews/{review.slug}/briefing/",
    ]:
        note = html(client.get(url)).select_one(".toolkit-content-note")
        assert note is not None, url
        assert "Summarised in the toolkit's own words." in note.get_text(), url
