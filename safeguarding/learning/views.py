"""Staff pages of learning across reviews (/staff/learning/): similar recommendations across reviews,
and themes over time with the recurring learning that still has open actions.

Every page needs a verified member of staff (`staff_required`) who sees every recommendation in the
tracker (permissions.py); anyone else gets 404. They only read: the similarities are recomputed by the
task worker when reviews change.
"""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from safeguarding.accounts.decorators import AuthenticatedHttpRequest, staff_required

from . import selectors
from .forms import PairFilterForm
from .permissions import sees_learning
from .similarity import score_in_words

PAIRS_PER_PAGE = 50


def _check(request: AuthenticatedHttpRequest) -> None:
    if not sees_learning(request.user):
        raise Http404("Learning across reviews is for those who see every recommendation.")


def _page_number(value: str) -> int:
    return int(value) if value.isdigit() and 0 < len(value) < 7 else 1


@staff_required
@require_safe
def pairs(request: AuthenticatedHttpRequest) -> HttpResponse:
    _check(request)
    form = PairFilterForm(request.GET or None, reviews=selectors.reviews_published())
    status = 200
    rows: list[dict[str, object]] = []
    page = None
    page_range: list[object] = []
    review = None
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        review = form.chosen_review()
        paginator = Paginator(selectors.similar_pairs(review=review), PAIRS_PER_PAGE)
        page = paginator.get_page(_page_number(request.GET.get("page", "1")))
        page_range = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
        rows = [
            {
                "first": pair.recommendation,
                "second": pair.similar,
                "score_percent": round(pair.score * 100),
                "score_words": score_in_words(pair.score),
                "terms": pair.shared_terms,
            }
            for pair in page.object_list
        ]
    context = {
        "form": form,
        "rows": rows,
        "page": page,
        "page_range": page_range,
        "query_params": {"review": review.pk} if review else {},
        "review": review,
        "run": selectors.last_run(),
        "threshold_percent": round(selectors.threshold() * 100),
        "section": "pairs",
    }
    return render(request, "learning/pairs.html", context, status=status)


@staff_required
@require_safe
def themes(request: AuthenticatedHttpRequest) -> HttpResponse:
    _check(request)
    context = {
        "table": selectors.themes_over_time(),
        "groups": selectors.recurring_learning(),
        "group_threshold_percent": round(max(selectors.threshold(), selectors.GROUP_THRESHOLD) * 100),
        "section": "themes",
    }
    return render(request, "learning/themes.html", context)
