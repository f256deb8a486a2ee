"""`{{ text|markdown }}`: content written in Markdown, rendered to GOV.UK-styled, sanitised HTML.

Rendering is cached by the text itself (an LRU in each process): content changes rarely and is read on
every page, so each piece is rendered once, and a changed text is simply a new entry.
"""

from functools import lru_cache

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_ALLOWED_TAGS = {"p", "ul", "ol", "li", "a", "strong", "em", "h2", "h3", "blockquote", "br", "abbr"}
_CLASSES = {
    "<p>": '<p class="govuk-body">',
    "<ul>": '<ul class="govuk-list govuk-list--bullet">',
    "<ol>": '<ol class="govuk-list govuk-list--number">',
    "<h2>": '<h2 class="govuk-heading-m">',
    "<h3>": '<h3 class="govuk-heading-s">',
    "<a ": '<a class="govuk-link" ',
}


@lru_cache(maxsize=4096)
def render_markdown(text: str) -> str:
    """Render Markdown, strip anything not in the allow-list, then add GOV.UK classes."""
    html = markdown_lib.markdown(text or "", output_format="html")
    html = nh3.clean(html, tags=_ALLOWED_TAGS, attributes={"a": {"href", "title"}, "abbr": {"title"}})
    for plain, styled in _CLASSES.items():
        html = html.replace(plain, styled)
    return html


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return mark_safe(render_markdown(text))  # noqa: S308  (sanitised by nh3 above)  # nosec B308, B703
