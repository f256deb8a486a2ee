"""URLs of the report journey. They carry step names and list positions only: never an answer."""

from django.urls import path, register_converter

from . import journey, views
from .lists import ITEM_LISTS


class _OneOf:
    """A path converter matching only the given words."""

    words: tuple[str, ...] = ()
    regex = ""

    def __init_subclass__(cls) -> None:
        cls.regex = "|".join(cls.words)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class QuestionConverter(_OneOf):
    words = tuple(views.QUESTIONS)


class ItemListConverter(_OneOf):
    words = tuple(ITEM_LISTS)


register_converter(QuestionConverter, "report_question")
register_converter(ItemListConverter, "report_list")

app_name = "report"

urlpatterns = [
    path("", views.start, name="start"),
    path(f"{journey.CALL_999}/", views.call_999, name="call_999"),
    path("<report_list:step>/", views.item_list, name="item_list"),
    path("<report_list:step>/add/", views.item_add, name="item_add"),
    path("<report_list:step>/<int:position>/change/", views.item_change, name="item_change"),
    path("<report_list:step>/<int:position>/remove/", views.item_remove, name="item_remove"),
    path("check/", views.check, name="check"),
    path("confirmation/", views.confirmation, name="confirmation"),
    path("confirmation/receipt.txt", views.receipt_text, name="receipt_text"),
    path("exit/", views.exit_page, name="exit"),
    path("follow-up/", views.follow_up, name="follow_up"),
    path("follow-up/result/", views.follow_up_result, name="follow_up_result"),
    # Last: the question pages' names cannot shadow the fixed paths above.
    path("<report_question:step>/", views.question, name="question"),
]
