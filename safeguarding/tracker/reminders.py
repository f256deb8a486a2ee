"""Reminder e-mails to the owners of an action: 30, 7 and 1 days before its due date, and when overdue.

The owners are the action's lead and the agency leads of its owner agency (active users with an
e-mail address). Each reminder goes once per due date, however often `reminders_send_due` runs and
however many workers run it at once:

- the ReminderSent row for (action, kind, due date) is inserted, and the e-mail sent, in one
  transaction: the unique constraint lets exactly one runner insert it, and a send that fails rolls
  the row back, so the next run tries again;
- a new due date is part of the key, so it gets fresh reminders.

Only the most recent reminder that is due is sent: an action created five days before its due date
gets the 7-day reminder, not a late 30-day one as well. The overdue reminder goes on the first
working day after the due date. Nothing goes once the action is done.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Case, CharField, Exists, OuterRef, Q, Value, When
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from safeguarding.accounts.models import Role, User
from safeguarding.core.working_days import is_working_day

from .models import Action, ReminderSent

logger = logging.getLogger(__name__)

Kind = ReminderSent.Kind
# Days before the due date from which each reminder is due, nearest first.
DAYS_BEFORE = ((Kind.DAYS_1, 1), (Kind.DAYS_7, 7), (Kind.DAYS_30, 30))
# What reminder_send did.
SENT, NO_RECIPIENTS, SKIPPED = "sent", "no_recipients", "skipped"


@dataclass
class ReminderRun:
    """What one run of `reminders_send_due` did, by count (no personal data)."""

    sent: int = 0
    failed: int = 0
    no_recipients: int = 0
    skipped: int = 0  # sent meanwhile by another runner, or the action was done or re-dated
    failed_actions: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "sent": self.sent,
            "failed": self.failed,
            "no_recipients": self.no_recipients,
            "skipped": self.skipped,
        }


def _overdue_on_or_before(today: datetime.date) -> datetime.date:
    """The latest due date whose overdue reminder is due today.

    The overdue reminder goes on the first working day after the due date, so it is due once a
    working day has come after the due date: the due date is before the latest working day up to today.
    """
    day = today
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day - datetime.timedelta(days=1)


def reminder_kind_annotation(*, today: datetime.date) -> Case:
    """The reminder due today for an action, by its due date, as a SQL expression (NULL for none)."""
    whens = [
        When(due_date__lte=_overdue_on_or_before(today), then=Value(Kind.OVERDUE.value)),
        # Past its due date but no working day since: the overdue reminder waits.
        When(due_date__lt=today, then=Value(None)),
    ]
    whens += [
        When(due_date__lte=today + datetime.timedelta(days=days), then=Value(kind.value))
        for kind, days in DAYS_BEFORE
    ]
    return Case(*whens, default=Value(None), output_field=CharField())


def reminders_due(*, today: datetime.date) -> list[tuple[Action, str]]:
    """(action, reminder kind) for each reminder due today that has not been sent."""
    already_sent = ReminderSent.objects.filter(
        action=OuterRef("pk"), kind=OuterRef("reminder_kind"), due_date=OuterRef("due_date")
    )
    actions = (
        Action.objects.filter(due_date__isnull=False, due_date__lte=today + datetime.timedelta(days=30))
        .exclude(status__in=list(Action.DONE))
        .annotate(reminder_kind=reminder_kind_annotation(today=today))
        .filter(reminder_kind__isnull=False)
        .exclude(Exists(already_sent))
        .select_related("recommendation__review", "owner_agency", "lead")
        .order_by("due_date", "id")
    )
    return [(action, action.reminder_kind) for action in actions]


def reminder_recipients(*, action: Action) -> list[str]:
    """The e-mail addresses of the action's owners: its lead and its agency's agency leads."""
    users = User.objects.filter(is_active=True).exclude(email="")
    owners = users.filter(
        Q(pk=action.lead_id) | Q(roles__kind=Role.Kind.AGENCY_LEAD, roles__agency_id=action.owner_agency_id)
    )
    addresses: dict[str, None] = {}  # ordered, without repeats
    for email in owners.order_by("pk").values_list("email", flat=True):
        addresses.setdefault(email.strip(), None)
    return list(addresses)


def _action_url(action: Action) -> str:
    try:
        path = reverse("tracker:action_detail", kwargs={"pk": action.pk})
    except NoReverseMatch:  # the staff action page's name, if it changes, must not stop reminders
        path = f"/staff/actions/{action.pk}/"
    site_url = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return site_url + path


def reminder_message(
    *, action: Action, kind: str, recipients: list[str], today: datetime.date
) -> EmailMessage:
    """The reminder e-mail: plain English, the action and its recommendation, and a link to it."""
    if action.due_date is None:
        raise ValueError("Only an action with a due date gets reminders.")
    context = {
        "action": action,
        "kind": kind,
        "is_overdue": kind == Kind.OVERDUE,
        "days_left": (action.due_date - today).days,
        "recommendation": action.recommendation,
        "review": action.recommendation.review,
        "url": _action_url(action),
    }
    subject = render_to_string("tracker/email/reminder_subject.txt", context)
    body = render_to_string("tracker/email/reminder.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=recipients)


def reminder_send(*, action: Action, kind: str, today: datetime.date) -> str:
    """Send one reminder unless it has been sent for this due date.

    Returns SENT if this call sent it, NO_RECIPIENTS if nobody can be e-mailed (it is tried again
    next run, so a lead added later still gets it), or SKIPPED (already sent, done or re-dated).

    The row is inserted and the e-mail sent in one transaction. A second runner blocks on the unique
    constraint until the first commits, then finds the row and sends nothing; if the first's send
    fails its row rolls back and the second sends instead. An e-mail that was sent but whose commit
    then failed is sent again next run: a rare repeat rather than a lost reminder.
    """
    due_date = action.due_date
    if due_date is None:
        return SKIPPED
    recipients = reminder_recipients(action=action)
    if not recipients:
        return NO_RECIPIENTS
    try:
        with transaction.atomic():
            # Read again inside the transaction: the action may have been done or re-dated since.
            current = Action.objects.filter(pk=action.pk).values("status", "due_date").first()
            if current is None or current["status"] in Action.DONE or current["due_date"] != due_date:
                return SKIPPED
            ReminderSent.objects.create(action=action, kind=kind, due_date=due_date)
            reminder_message(action=action, kind=kind, recipients=recipients, today=today).send()
    except IntegrityError:
        return SKIPPED  # another runner sent it
    return SENT


def reminders_send_due(*, today: datetime.date | None = None) -> ReminderRun:
    """Send every reminder due today that has not been sent. Safe to run as often as you like."""
    today = today or timezone.localdate()
    run = ReminderRun()
    for action, kind in reminders_due(today=today):
        try:
            outcome = reminder_send(action=action, kind=kind, today=today)
        except Exception:  # one failed send must not stop the others; it is retried next run
            run.failed += 1
            run.failed_actions.append(action.pk)
            logger.exception("Reminder for action %s (%s) could not be sent", action.pk, kind)
            continue
        if outcome == SENT:
            run.sent += 1
        elif outcome == NO_RECIPIENTS:
            run.no_recipients += 1
        else:
            run.skipped += 1
    # One line a run at INFO when there was anything to do; the scheduler runs every few minutes.
    logger.log(
        logging.INFO if (run.sent or run.failed or run.no_recipients or run.skipped) else logging.DEBUG,
        "Reminders: %d sent, %d failed, %d with no one to send to, %d skipped",
        run.sent,
        run.failed,
        run.no_recipients,
        run.skipped,
    )
    return run
