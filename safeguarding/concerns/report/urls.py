"""URLs of the report journey."""

app_name = "report"

urlpatterns: list = []
