"""The URL tree: the public site at the root, the JSON API under /api/v1/, staff under /staff/."""

from django.urls import include, path

from safeguarding.core import views as core_views
from safeguarding.partnership import views as partnership_views
from safeguarding.reviews import views as reviews_views

urlpatterns = [
    path("", reviews_views.home, name="home"),
    path("get-help/", partnership_views.get_help, name="get-help"),
    path("healthz", core_views.healthz, name="healthz"),
    path("reviews/", include("safeguarding.reviews.urls")),
    path("report/", include("safeguarding.concerns.report.urls")),
    path("refer/", include("safeguarding.concerns.referral.urls")),
    path("statistics/", include("safeguarding.statistics.public_urls")),
    path("api/v1/", include("config.api_urls")),
    path("staff/", include("config.staff_urls")),
]

handler400 = "safeguarding.core.views.error_400"
handler403 = "safeguarding.core.views.error_403"
handler404 = "safeguarding.core.views.error_404"
handler500 = "safeguarding.core.views.error_500"
