"""The one way the settings pages make a record's slug: from its name, once, when it is added.

A slug may be in a public or staff address (a team's queue, a board's pages) and is what the
partnership pack matches records by, so it never changes after: renaming a record keeps its slug.
"""

from django.db import models
from django.utils.text import slugify


def slug_unused(model: type[models.Model], name: str, *, fallback: str, field: str = "slug") -> str:
    """A slug made from `name` (at most 40 characters) that no `model` record holds yet in `field`:
    "police", then "police-2", "police-3"..."""
    base = slugify(name)[:40].strip("-") or fallback
    slug, n = base, 1
    while model._default_manager.filter(**{field: slug}).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
