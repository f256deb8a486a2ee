"""Public pages of the toolkit: the home page, reviews and recommendations. Each view reads through
selectors.py and renders a template.

Filters and search are GET forms, so every page works without JavaScript and every result can be
bookmarked. Unknown filter values are ignored and said so; they never cause an error.
"""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from . import pdf, selectors
from .forms import RecommendationFilterForm, ReviewListForm

REVIEWS_PER_PAGE = 20
HOME_REVIEW_COUNT = 5


def _page_number(request: HttpRequest) -> int:
    """The page asked for; anything that is not a page number means the first page."""
    value = request.GET.get("page", "1")
    return int(value) if value.isdigit() and 0 < len(value) < 7 else 1


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    reviews = list(selectors.review_list()[:HOME_REVIEW_COUNT])
    # Any made-up review in the list labels the whole page as training material.
    return render(
        request, "reviews/home.html", {"reviews": reviews, "demo": any(review.is_demo for review in reviews)}
    )


@require_safe
def review_list(request: HttpRequest) -> HttpResponse:
    form = ReviewListForm(request.GET, options=selectors.review_list_filter_options())
    filters = selectors.ReviewFilters(
        review_types=form.value("review_type"),
        boards=form.value("board"),
        themes=form.value("theme"),
        audiences=form.value("audience"),
    )
    query = form.cleaned_data.get("q", "")
    search = None
    if query:
        search = selectors.search_results(query=query, filters=filters)
        paginator = Paginator(search.hits, REVIEWS_PER_PAGE)
    else:
        paginator = Paginator(selectors.review_list(filters=filters), REVIEWS_PER_PAGE)
    page = paginator.get_page(_page_number(request))
    if search:
        # Only the hits on this page become objects: a broad search can match hundreds.
        results = selectors.search_results_load(hits=page.object_list)
        shown = [result.review for result in results]
    else:
        results = list(page.object_list)
        shown = results
    context = {
        "form": form,
        "query": query,
        "search": search,
        "page": page,
        "results": results,
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "demo": any(review.is_demo for review in shown),
    }
    return render(request, "reviews/review_list.html", context)


@require_safe
def review_detail(request: HttpRequest, slug: str) -> HttpResponse:
    review = selectors.review_get(slug=slug)
    if review is None:
        raise Http404("No published review has this address.")
    form = RecommendationFilterForm(request.GET, themes=selectors.review_theme_options(review=review))
    filters = selectors.RecommendationFilters(
        audiences=form.value("audience"),
        themes=form.value("theme"),
        addressees=form.value("addressee"),
        statuses=form.value("status"),
    )
    recommendations = list(selectors.recommendation_list(filters=filters, review=review))
    context = {
        "review": review,
        "demo": review.is_demo,
        "form": form,
        "recommendations": recommendations,
        "milestones": list(review.milestones.all()),
        "findings": list(review.findings.all()),
        "media": list(review.media.all()),
    }
    return render(request, "reviews/review_detail.html", context)


@require_safe
def recommendation_detail(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    recommendation = selectors.recommendation_get(slug=slug, reference=reference)
    if recommendation is None:
        raise Http404("This review has no recommendation with that reference.")
    previous, following = selectors.recommendation_neighbours(recommendation=recommendation)
    context = {
        "review": recommendation.review,
        "demo": recommendation.review.is_demo,
        "recommendation": recommendation,
        "previous": previous,
        "next": following,
    }
    return render(request, "reviews/recommendation_detail.html", context)


def _briefing_or_404(slug: str) -> selectors.Briefing:
    briefing = selectors.review_briefing_get(slug=slug)
    if briefing is None:
        raise Http404("No published review has this address.")
    return briefing


def _briefing_context(request: HttpRequest, briefing: selectors.Briefing) -> dict[str, object]:
    return {
        "briefing": briefing,
        "review": briefing.review,
        "demo": briefing.review.is_demo,
        # Written out in full: a printed page or a PDF cannot follow a link.
        "review_url": request.build_absolute_uri(briefing.review.get_absolute_url()),
    }


@require_safe
def review_briefing(request: HttpRequest, slug: str) -> HttpResponse:
    briefing = _briefing_or_404(slug)
    return render(request, "reviews/review_briefing.html", _briefing_context(request, briefing))


@require_safe
def review_briefing_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    briefing = _briefing_or_404(slug)
    context = {**_briefing_context(request, briefing), "pdf": True}
    html = render_to_string("reviews/pdf/briefing.html", context, request=request)
    try:
        content = pdf.pdf_render(html=html)
    except pdf.PdfUnavailableError:
        return HttpResponse(
            "The PDF of this briefing cannot be made on this server at the moment. "
            "The printable briefing page has the same content.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"{slugify(briefing.review.slug) or 'review'}-7-minute-briefing.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
