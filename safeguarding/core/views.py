"""Pages that belong to no single domain: home, getting help, the health check, error pages."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from safeguarding.core.context_processors import partnership_placeholder
from safeguarding.partnership.models import ContactPoint
from safeguarding.reviews.selectors import review_list

HOME_REVIEW_COUNT = 5


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    reviews = list(review_list()[:HOME_REVIEW_COUNT])
    return render(
        request,
        "core/home.html",
        # Any made-up review in the list labels the whole page as training material.
        {"reviews": reviews, "demo": any(review.is_demo for review in reviews)},
    )


@require_safe
def get_help(request: HttpRequest) -> HttpResponse:
    points = list(ContactPoint.objects.all())
    Kind, Audience = ContactPoint.Kind, ContactPoint.Audience

    def front_doors(audience: str) -> list[ContactPoint]:
        # A front door for anyone belongs under both "a child" and "an adult".
        return [p for p in points if p.kind == Kind.FRONT_DOOR and p.audience in (audience, Audience.ANYONE)]

    return render(
        request,
        "core/get_help.html",
        {
            "has_contact_points": bool(points),
            "emergency": [p for p in points if p.kind == Kind.EMERGENCY],
            "children_front_doors": front_doors(Audience.CHILDREN),
            "adults_front_doors": front_doors(Audience.ADULTS),
            "out_of_hours": [p for p in points if p.kind == Kind.OUT_OF_HOURS],
            "helplines": [p for p in points if p.kind == Kind.HELPLINE],
        },
    )


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
    """Rendered without the request, so no context processor runs and nothing touches the database:
    the failure may be the database itself."""
    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render({"partnership": partnership_placeholder()}))


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Shown when a client has sent a public form too often (django-ratelimit's RATELIMIT_VIEW)."""
    response = render(request, "errors/429.html", status=429)
    response["Retry-After"] = "600"
    return response
