"""Reading the partnership: who it is, and the contact points the "Get help now" page lists."""

from dataclasses import dataclass

from safeguarding.core.page_cache import content_memo

from .models import ContactPoint, Partnership


def partnership_current() -> Partnership:
    """The deployment's partnership, or an unsaved placeholder before any content is loaded. Every page
    shows its name, so it is read once per content version (core.page_cache)."""
    return content_memo("partnership.current", Partnership.objects.current)


@dataclass(frozen=True)
class HelpContacts:
    emergency: list[ContactPoint]
    children_front_doors: list[ContactPoint]
    adults_front_doors: list[ContactPoint]
    out_of_hours: list[ContactPoint]
    helplines: list[ContactPoint]

    def __bool__(self) -> bool:
        return any(
            (
                self.emergency,
                self.children_front_doors,
                self.adults_front_doors,
                self.out_of_hours,
                self.helplines,
            )
        )


def help_contacts() -> HelpContacts:
    """Every contact point, grouped as the help page shows them. A front door for anyone is listed under
    both children and adults."""
    points = list(ContactPoint.objects.all())
    Kind, Audience = ContactPoint.Kind, ContactPoint.Audience

    def front_doors(audience: str) -> list[ContactPoint]:
        return [p for p in points if p.kind == Kind.FRONT_DOOR and p.audience in (audience, Audience.ANYONE)]

    return HelpContacts(
        emergency=[p for p in points if p.kind == Kind.EMERGENCY],
        children_front_doors=front_doors(Audience.CHILDREN),
        adults_front_doors=front_doors(Audience.ADULTS),
        out_of_hours=[p for p in points if p.kind == Kind.OUT_OF_HOURS],
        helplines=[p for p in points if p.kind == Kind.HELPLINE],
    )
