"""Values every page template needs: the partnership's name for the header."""

from django.http import HttpRequest

from safeguarding.partnership.models import Partnership


def partnership(request: HttpRequest) -> dict[str, object]:
    return {"partnership": Partnership.objects.current()}
