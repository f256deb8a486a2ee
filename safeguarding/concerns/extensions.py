"""Where apps above concerns add to its pages without concerns importing them (docs/decisions/0019).

An app registers a template in its `AppConfig.ready`; the concern page includes each one, in the order
registered, with the page's context (`concern` among it). Linking adds the link to a concern's
identifiers this way; without linking installed, nothing is added.
"""

CONCERN_PAGE_INCLUDES: list[str] = []


def concern_page_include_register(template_name: str) -> None:
    """Include `template_name` on every concern page, below the identifiers the concern gives."""
    if template_name not in CONCERN_PAGE_INCLUDES:
        CONCERN_PAGE_INCLUDES.append(template_name)
