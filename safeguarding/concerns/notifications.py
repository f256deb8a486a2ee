"""Telling a team that a concern has arrived for it: one e-mail to each member, once per route.

The e-mail is a doorbell, not a record (docs/decisions/0018). It says which team, that a new concern
has arrived, whether it is urgent, when it arrived, and links to the team's queue. It holds nothing
the reporter wrote, no names, and not even the concern's reference: everything about the concern is
read behind sign-in and two-step verification, where every view is audited.

Each route (concern sent to a team) is notified exactly once, however often the task runs and however
many workers run it at once:

- the route is claimed with a conditional UPDATE (`notified_at` from empty to now), and the e-mails
  sent, in one transaction: the UPDATE locks the row, so a second runner waits, then finds it set and
  sends nothing; a send that fails rolls the claim back, and the sweep tries again;
- `routes_notify_missed`, run by the scheduler, picks up any route still not notified a minute after
  routing (the enqueue after commit failed, the send failed, or a team was shared in later).

A team with no active member with an e-mail address is not marked as notified, so someone added to
the team within the sweep window is still told.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Concern, ConcernRoute, Team

logger = logging.getLogger(__name__)

# A route is left to its own task for this long before the sweep picks it up.
SWEEP_AFTER = datetime.timedelta(minutes=1)
# What route_notify did.
SENT, NO_RECIPIENTS, SKIPPED = "sent", "no_recipients", "skipped"


@dataclass
class NotificationRun:
    """What one run did, by count (no personal data)."""

    sent: int = 0  # routes whose team was told (one e-mail to each member)
    emails: int = 0
    failed: int = 0
    no_recipients: int = 0
    skipped: int = 0  # told already, by another runner or an earlier run

    def add(self, outcome: str, emails: int = 0) -> None:
        if outcome == SENT:
            self.sent += 1
            self.emails += emails
        elif outcome == NO_RECIPIENTS:
            self.no_recipients += 1
        else:
            self.skipped += 1

    def as_dict(self) -> dict[str, int]:
        return {
            "sent": self.sent,
            "emails": self.emails,
            "failed": self.failed,
            "no_recipients": self.no_recipients,
            "skipped": self.skipped,
        }


def team_recipients(*, team: Team) -> list[str]:
    """The e-mail addresses of the team's active members, without repeats."""
    addresses: dict[str, None] = {}
    for email in (
        team.members.filter(is_active=True).exclude(email="").order_by("pk").values_list("email", flat=True)
    ):
        if email.strip():
            addresses.setdefault(email.strip(), None)
    return list(addresses)


def _queue_url(team: Team) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("concerns:team_queue", kwargs={"slug": team.slug})


def route_messages(*, team: Team, concern: Concern, recipients: list[str]) -> list[EmailMessage]:
    """One plain-text e-mail to each recipient (so no member sees the others' addresses)."""
    context = {
        "team": team,
        "urgent": concern.urgent,
        "received_at": timezone.localtime(concern.received_at),
        "url": _queue_url(team),
    }
    subject = " ".join(render_to_string("concerns/email/new_concern_subject.txt", context).split())
    body = render_to_string("concerns/email/new_concern.txt", context)
    return [EmailMessage(subject=subject, body=body, to=[address]) for address in recipients]


def route_notify(*, route: ConcernRoute) -> tuple[str, int]:
    """Tell the route's team, unless it has been told. Returns (SENT, e-mails) or (NO_RECIPIENTS or
    SKIPPED, 0). Raises if sending fails; the claim is then rolled back, so a later run sends it."""
    team = route.team
    if team is None or route.notified_at is not None:
        return SKIPPED, 0
    recipients = team_recipients(team=team)
    if not recipients:
        return NO_RECIPIENTS, 0
    with transaction.atomic():
        claimed = ConcernRoute.objects.filter(pk=route.pk, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
        if not claimed:
            return SKIPPED, 0  # another runner told the team (or is telling it, and we waited)
        # Read after the claim: urgency may have been set since the route was loaded.
        concern = Concern.objects.only("id", "urgent", "received_at").get(pk=route.concern_id)
        messages = route_messages(team=team, concern=concern, recipients=recipients)
        with get_connection() as connection:
            connection.send_messages(messages)
    return SENT, len(messages)


def _routes_notify(routes: list[ConcernRoute]) -> NotificationRun:
    run = NotificationRun()
    for route in routes:
        try:
            outcome, emails = route_notify(route=route)
        except Exception:  # one failed send must not stop the others; the sweep tries again
            run.failed += 1
            logger.exception("New concern notification for route %s could not be sent", route.pk)
            continue
        run.add(outcome, emails)
    return run


def concern_notify(*, concern_id: int) -> NotificationRun:
    """Tell each team the concern is routed to that has not been told yet. Safe to run again."""
    routes = list(
        ConcernRoute.objects.filter(concern_id=concern_id, team__isnull=False, notified_at__isnull=True)
        .select_related("team")
        .order_by("id")
    )
    run = _routes_notify(routes)
    _log("New concern notifications", run)
    return run


def routes_notify_missed(*, now: datetime.datetime | None = None) -> NotificationRun:
    """Tell the teams of routes still not notified a minute after routing, urgent concerns first.

    Routes older than CONCERN_NOTIFY_SWEEP_HOURS are left alone: an e-mail saying a concern "has
    arrived" days later helps nobody, and the concern is in the team's queue whatever happens.
    """
    now = now or timezone.now()
    window = datetime.timedelta(hours=settings.CONCERN_NOTIFY_SWEEP_HOURS)
    routes = list(
        ConcernRoute.objects.filter(
            team__isnull=False,
            notified_at__isnull=True,
            routed_at__lte=now - SWEEP_AFTER,
            routed_at__gte=now - window,
        )
        .select_related("team")
        .order_by("-concern__urgent", "routed_at", "id")
    )
    run = _routes_notify(routes)
    _log("Missed new concern notifications", run)
    return run


def _log(what: str, run: NotificationRun) -> None:
    busy = run.sent or run.failed or run.no_recipients
    logger.log(
        logging.INFO if busy else logging.DEBUG,
        "%s: %d teams told (%d e-mails), %d failed, %d with no one to e-mail, %d already told",
        what,
        run.sent,
        run.emails,
        run.failed,
        run.no_recipients,
        run.skipped,
    )
