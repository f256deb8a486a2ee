"""`{% content_fragment "name" [value ...] %}...{% endcontent_fragment %}`: a piece of a public page
rendered once per content version (and per set of the values given), then reused by every page.

Only for pieces that show public content and nothing of the visitor: everything the piece depends on
apart from content (the section the page is in, the filters ticked) must be among the values.
"""

import hashlib
from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.safestring import SafeString, mark_safe

from safeguarding.core.page_cache import content_memo

register = template.Library()


class ContentFragmentNode(template.Node):
    def __init__(self, nodelist: NodeList, name: FilterExpression, values: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.name = name
        self.values = values

    def render(self, context: template.Context) -> SafeString:
        vary = "\x1f".join(str(value.resolve(context)) for value in self.values)
        key = f"fragment:{self.name.resolve(context)}:{hashlib.sha256(vary.encode()).hexdigest()}"
        # The nodelist is rendered as a template renders: its output is already escaped where needed.
        return mark_safe(content_memo(key, lambda: self.nodelist.render(context)))  # noqa: S308  # nosec B308, B703


@register.tag("content_fragment")
def content_fragment(parser: Parser, token: Token) -> Any:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("content_fragment needs a name")
    nodelist = parser.parse(("endcontent_fragment",))
    parser.delete_first_token()
    return ContentFragmentNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )
