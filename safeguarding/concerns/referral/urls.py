"""URLs of the referral journey."""

app_name = "referral"

urlpatterns: list = []
