"""Content for the API tests: a published review like the default one, a demo review, and a draft.

The draft (unpublished) review and its recommendation must never appear in any response.
"""

import datetime
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from safeguarding.partnership.models import Board
from safeguarding.reviews.models import Recommendation, Review, ReviewMilestone
from safeguarding.reviews.search import search_index_review
from tests.partnership.factories import AgencyFactory, BoardFactory
from tests.reviews.factories import (
    FindingFactory,
    MediaFactory,
    MilestoneFactory,
    RecommendationFactory,
    ResourceFactory,
    ReviewFactory,
    ThemeFactory,
)


@dataclass
class Content:
    jscr: Review
    demo: Review
    draft: Review


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def content(db) -> Content:
    children_board = BoardFactory(slug="tscp", short_name="TSCP", kind=Board.Kind.CHILDREN)
    adults_board = BoardFactory(slug="tsab", short_name="TSAB", kind=Board.Kind.ADULTS)
    transition = ThemeFactory(slug="transition-to-adulthood", name="Transition to adulthood")
    perpetrators = ThemeFactory(slug="perpetrators", name="Perpetrators")
    police = AgencyFactory(slug="police", name="Testborough Police")

    jscr = ReviewFactory(
        slug="newcastle-jscr-2018",
        title="Joint serious case review into sexual exploitation",
        short_title="Joint serious case review",
        review_type=Review.Type.JOINT_SERIOUS_CASE_REVIEW,
        published_on=datetime.date(2018, 2, 23),
        report_url="https://example.org/report.pdf",
        briefing_questions=["What would you do?"],
        is_demo=False,
        boards=[children_board, adults_board],
    )
    MilestoneFactory(
        review=jscr,
        date=datetime.date(2019, 11, 1),
        precision=ReviewMilestone.Precision.MONTH,
        title="Both boards agree all recommendations progressed in full",
    )
    finding = FindingFactory(review=jscr, reference="F1", title="Adults are exploited as well as children")
    n1 = RecommendationFactory(
        review=jscr,
        reference="N1",
        reference_is_provisional=True,
        title="Research into perpetrators",
        text="Government to commission research into the motivations of perpetrators.",
        finding=finding,
        addressee=Recommendation.Addressee.NATIONAL,
        addressed_to="Government",
        audience=Recommendation.Audience.BOTH,
        reflective_questions=["What do you know about perpetrators in your area?"],
        public_status=Recommendation.PublicStatus.PROGRESSED_IN_FULL,
        themes=[perpetrators],
        lead_agencies=[police],
    )
    ResourceFactory(review=jscr, recommendation=n1, title="Guidance on disruption")
    RecommendationFactory(
        review=jscr,
        reference="N2",
        title="Powers to protect adults",
        text="Review the law so that agencies can protect adults said to be making their own choices.",
        addressee=Recommendation.Addressee.NATIONAL,
        audience=Recommendation.Audience.ADULTS,
        public_status=Recommendation.PublicStatus.PROGRESSED_IN_FULL,
        themes=[transition],
    )
    ResourceFactory(review=jscr, title="The full report", url="")
    MediaFactory(review=jscr, title="A short film", transcript="Narrator: the boards worked together.")

    demo = ReviewFactory(
        slug="training-review",
        review_type=Review.Type.SAFEGUARDING_ADULTS_REVIEW,
        published_on=datetime.date(2024, 3, 1),
        is_demo=True,
        boards=[adults_board],
    )
    RecommendationFactory(
        review=demo,
        reference="1",
        title="Local training on grooming",
        text="Agencies should train staff to recognise grooming of children.",
        addressee=Recommendation.Addressee.LOCAL,
        audience=Recommendation.Audience.CHILDREN,
        public_status=Recommendation.PublicStatus.IN_PROGRESS,
        themes=[transition],
    )

    draft = ReviewFactory(
        slug="draft-review", title="Draft review not yet public", is_published=False, boards=[children_board]
    )
    RecommendationFactory(
        review=draft,
        reference="1",
        title="Hidden draft recommendation",
        text="Grooming perpetrators draft.",
        themes=[perpetrators],
    )

    for review in (jscr, demo, draft):
        search_index_review(review=review)
    return Content(jscr=jscr, demo=demo, draft=draft)
