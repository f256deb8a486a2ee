"""Background tasks of insight: only call a service."""

from django_tasks import task

from .services import concern_facts_refresh


@task()
def insight_concerns_refresh(concern_ids: list[int]) -> dict[str, int]:
    """Refresh the statistics of concerns that changed (or were deleted)."""
    return concern_facts_refresh(concern_ids=concern_ids).as_dict()
