"""factory_boy factories for learning: stored similarities between recommendations."""

import factory
from factory.django import DjangoModelFactory

from safeguarding.learning.models import Similarity
from tests.reviews.factories import RecommendationFactory


class SimilarityFactory(DjangoModelFactory):
    class Meta:
        model = Similarity

    recommendation = factory.SubFactory(RecommendationFactory)
    similar = factory.SubFactory(RecommendationFactory)
    score = 0.5
    shared_terms = factory.LazyFunction(lambda: ["information", "share"])
    rank = 1
