"""Public pages of the toolkit: the home page, reviews and recommendations. Each view reads through
selectors.py and renders a template.

Filters and search are GET forms, so every page works without JavaScript and every result can be
bookmarked. Unknown filter values are ignored and said so; they never cause an error.
"""

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from safeguarding.core.page_cache import content_memo, content_memo_many, public_page

from . import pdf, selectors
from .forms import RecommendationFilterForm, ReviewListForm
from .panels import recommendation_panels
from .search import SearchHit

REVIEWS_PER_PAGE = 20
HOME_REVIEW_COUNT = 5


def _page_number(request: HttpRequest) -> int:
    """The page asked for; anything that is not a page number means the first page."""
    value = request.GET.get("page", "1")
    return int(value) if value.isdigit() and 0 < len(value) < 7 else 1


@public_page()
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    reviews = list(selectors.review_list()[:HOME_REVIEW_COUNT])
    # A made-up review is labelled "Training example" where it is listed; the page's banner is for the
    # pages that show training material itself, not above a real review.
    return render(request, "reviews/home.html", {"reviews": reviews})


# A search is never kept as a page: what people search for may be personal. Its parts are (below).
@public_page(private_parameters=["q"])
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
    if query:
        return _search_page(request, form, query, filters)
    paginator = Paginator(selectors.review_list(filters=filters), REVIEWS_PER_PAGE)
    page = paginator.get_page(_page_number(request))
    reviews = list(page.object_list)
    context = _list_context(form, paginator, page, results=reviews, demo=any(r.is_demo for r in reviews))
    context["results_section"] = render_to_string("reviews/includes/review_list_results.html", context)
    return render(request, "reviews/review_list.html", context)


def _list_context(
    form: ReviewListForm, paginator: Paginator[Any], page: Page[Any], *, results: list[Any], demo: bool
) -> dict[str, Any]:
    title = "Reviews"
    if page.number > 1:
        title += f" (page {page.number} of {paginator.num_pages})"
    return {
        "form": form,
        "page": page,
        "results": results,
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "query_params": form.query_params(),
        "demo": demo,
        "title": title,
        "demo_banner": render_to_string("includes/demo_banner.html") if demo else "",
    }


# Markers for the parts of a search page filled in for each search: random for each process, so no
# search can contain them; letters and digits only, so escaping leaves them as they are.
_MARK_QUERY, _MARK_CLEAR, _MARK_TITLE, _MARK_RESULTS, _MARK_DEMO = (
    f"mark{secrets.token_hex(12)}" for _ in range(5)
)
_MARKS = re.compile("|".join((_MARK_QUERY, _MARK_CLEAR, _MARK_TITLE, _MARK_RESULTS, _MARK_DEMO)))


def _search_page(
    request: HttpRequest, form: ReviewListForm, query: str, filters: selectors.ReviewFilters
) -> HttpResponse:
    """A search, from parts kept per content version that hold nothing of what was searched for: the
    page around the results (per set of filters) and what was found (per set of items found), each
    rendered with markers where the search words go. Only the markers are filled in for each search."""
    search = selectors.search_results(query=query, filters=filters)
    paginator = Paginator(search.hits, REVIEWS_PER_PAGE)
    page = paginator.get_page(_page_number(request))
    hits: list[SearchHit] = list(page.object_list)

    def found() -> tuple[str, bool]:
        items = _search_items(hits)
        section_context = {
            "search": search,
            "results": items,
            "query": _MARK_QUERY,
            "is_filtered": form.is_filtered(),
            "clear_url": _MARK_CLEAR,
        }
        html = render_to_string("reviews/includes/search_section.html", section_context)
        return html, any(item.is_demo for item in items)

    found_key = ":".join(
        [
            "reviews.search_found",
            str(form.is_filtered()),
            f"{search.review_count}.{search.recommendation_count}.{search.truncated}",
            ",".join(f"{hit.review_id}.{hit.recommendation_id or ''}" for hit in hits),
        ]
    )
    search_section, demo = content_memo(found_key, found)
    context = _list_context(form, paginator, page, results=[], demo=demo)
    context.update(search=search, query=query, search_section=search_section)
    results_section = render_to_string("reviews/includes/review_list_results.html", context)
    shell_context = {
        "form": form,
        "query": _MARK_QUERY,
        "title": _MARK_TITLE,
        "results_section": _MARK_RESULTS,
        "demo_banner": _MARK_DEMO,
    }
    shell = content_memo(
        f"reviews.list_shell:{form.chosen_key()}",
        lambda: render_to_string("reviews/review_list.html", shell_context, request=request),
    )
    title = f"Search results for “{query}”: reviews" + str(context["title"]).removeprefix("Reviews")
    filled = {
        _MARK_QUERY: escape(query),
        _MARK_CLEAR: escape(form.clear_url()),
        _MARK_TITLE: escape(title),
        _MARK_DEMO: str(context["demo_banner"]),
    }
    # What was found holds markers of its own: filled first, since each fill is a single pass.
    filled[_MARK_RESULTS] = _MARKS.sub(lambda match: filled[match.group(0)], results_section)
    return HttpResponse(_MARKS.sub(lambda match: filled[match.group(0)], shell))


@dataclass(frozen=True)
class _SearchItem:
    html: str
    is_demo: bool


def _search_items(hits: Sequence[SearchHit]) -> list[_SearchItem]:
    """Each hit rendered as a list item. An item is the same whoever searched and for what, so it is
    rendered once per content version; only the items not yet rendered are loaded from the database."""

    def key(review_id: int, recommendation_id: int | None) -> str:
        return f"reviews.search_item:{review_id}:{recommendation_id or ''}"

    def render_missing(keys: list[str]) -> dict[str, _SearchItem]:
        wanted = [hit for hit in hits if key(hit.review_id, hit.recommendation_id) in keys]
        return {
            key(result.review.pk, result.recommendation.pk if result.recommendation else None): _SearchItem(
                html=render_to_string("reviews/includes/search_result.html", {"result": result}),
                is_demo=result.review.is_demo,
            )
            for result in selectors.search_results_load(hits=wanted)
        }

    keys = [key(hit.review_id, hit.recommendation_id) for hit in hits]
    items = content_memo_many(keys, render_missing)
    return [items[k] for k in keys if k in items]


@public_page()
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


@public_page()
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
        # What apps above reviews add, such as similar recommendations in other reviews (panels.py).
        "panels": recommendation_panels(recommendation=recommendation),
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


@public_page()
@require_safe
def review_briefing(request: HttpRequest, slug: str) -> HttpResponse:
    briefing = _briefing_or_404(slug)
    return render(request, "reviews/review_briefing.html", _briefing_context(request, briefing))


@public_page()
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
