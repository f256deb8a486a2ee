"""What learning across reviews keeps: each recommendation's most similar recommendations in other
reviews (`Similarity`), and the last time they were worked out (`SimilarityRun`).

Both are derived data, rewritten whole by `services.similarities_recompute`; nothing here is edited
by hand.
"""

from django.db import models

from safeguarding.reviews.models import Recommendation


class Similarity(models.Model):
    """`similar` is one of the recommendations in another review most like `recommendation`."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="+")
    similar = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(help_text="Cosine similarity of the two texts' TF-IDF vectors, 0 to 1.")
    shared_terms = models.JSONField(default=list, help_text="The words both use, most telling first.")
    rank = models.PositiveSmallIntegerField(help_text="1 for the most similar.")

    class Meta:
        ordering = ["recommendation", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "similar"], name="similarity_pair_unique"),
            models.CheckConstraint(
                condition=~models.Q(recommendation=models.F("similar")), name="similarity_not_itself"
            ),
        ]
        indexes = [models.Index(fields=["-score"], name="similarity_score")]
        verbose_name_plural = "similarities"

    def __str__(self) -> str:
        return f"{self.recommendation_id} ~ {self.similar_id} ({self.score:.2f})"


class SimilarityRun(models.Model):
    """The last computation (one row): what it was computed from, and how long it took."""

    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the texts and settings used.")
    result = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the similarities stored.")
    computed_at = models.DateTimeField()
    recommendations = models.PositiveIntegerField(default=0)
    pairs = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)

    def __str__(self) -> str:
        return f"Similarities computed at {self.computed_at:%Y-%m-%d %H:%M}"
