"""The analyst's URLs under /staff/networks/ and /staff/alerts/. They carry ids and codes only: a
value (a name, a phone, a registration) never goes in an address, not even in the hotspot filter."""

from django.urls import path

from .views import networks as views

app_name = "linking"

urlpatterns = [
    path("networks/", views.network_list, name="network_list"),
    path("networks/hotspots/", views.hotspot_list, name="hotspot_list"),
    path("networks/<int:pk>/", views.network_detail, name="network_detail"),
    path("networks/links/<int:pk>/", views.link_detail, name="link_detail"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert_detail"),
]
