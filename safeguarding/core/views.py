"""Pages that belong to no single domain: home, getting help, the health check, error pages."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from safeguarding.partnership.models import ContactPoint
from safeguarding.reviews.models import Review


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    reviews = Review.objects.published().only("slug", "title", "short_title", "published_on", "summary")[:5]
    return render(request, "core/home.html", {"reviews": reviews})


@require_safe
def get_help(request: HttpRequest) -> HttpResponse:
    contact_points = list(ContactPoint.objects.all())
    by_kind: dict[str, list[ContactPoint]] = {kind: [] for kind in ContactPoint.Kind.values}
    for point in contact_points:
        by_kind[point.kind].append(point)
    return render(request, "core/get_help.html", {"contact_points": by_kind})


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not. Says nothing else about the system."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001  (any database failure means unhealthy)
        return JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
