"""Public pages of the toolkit. Each view reads through selectors.py and renders a template."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render


def review_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reviews/review_list.html", {})


def review_detail(request: HttpRequest, slug: str) -> HttpResponse:
    raise Http404


def review_briefing(request: HttpRequest, slug: str) -> HttpResponse:
    raise Http404


def review_briefing_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    raise Http404


def recommendation_detail(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    raise Http404
