"""`{% load linking %}`: whether the signed-in user sees the analyst's pages (for the staff menu)."""

from typing import Any

from django import template

from ..permissions import sees_networks as _sees_networks

register = template.Library()


@register.filter
def sees_networks(user: Any) -> bool:
    return _sees_networks(user)
