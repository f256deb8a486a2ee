"""Demo data: a fictional training review with actions in every state, and demo staff accounts.

`demo_load()` (run by `manage.py load_demo`) creates what is missing and changes nothing that exists,
so it can run any number of times. Everything is fictional: the review is marked `is_demo` and its
title says "Training example"; the people have made-up names and example.org addresses. Boards and
agencies are the partnership's own when it has them (the default content's NSCP and NSAB), or
fictional Testborough ones.

Demo accounts get random passwords, returned once to be printed and never stored in plain text.
They have no authenticator yet: at first sign-in each sets one up with a QR code (or, for trying the
toolkit without a phone, `manage.py demo_totp USERNAME` prints the current code).

It refuses to run where demo data is not allowed: with production settings, or when the
DEMO_DATA_ALLOWED setting is False.
"""

import datetime
import io
import secrets
import string
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from safeguarding.accounts.models import Role, User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.concerns.models import Team
from safeguarding.learning.services import sample_reviews_load, similarities_recompute
from safeguarding.partnership.models import Agency, Board
from safeguarding.reviews.models import Recommendation, Review
from safeguarding.tracker import services as tracker_services
from safeguarding.tracker.models import Action, Evidence, ProgressNote, SignOff

from .linking import demo_network_load

DEMO_REVIEW_SLUG = "training-example-testborough"
DEMO_EMAIL_DOMAIN = "example.org"


class DemoNotAllowed(Exception):
    """Demo data must never be loaded into a live service."""


def demo_allowed() -> bool:
    """False with production settings, or when DEMO_DATA_ALLOWED is set to False."""
    module = getattr(settings, "SETTINGS_MODULE", "") or ""
    if module.endswith("production"):
        return False
    return bool(getattr(settings, "DEMO_DATA_ALLOWED", True))


def _refuse_unless_allowed() -> None:
    if not demo_allowed():
        raise DemoNotAllowed(
            "Demo data is not allowed here: these are production settings, or DEMO_DATA_ALLOWED is False."
        )


# --- The accounts --------------------------------------------------------------------------------
@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    job_title: str
    role: str
    scope: str = ""  # "children" or "adults" for a board role; an agency key for an agency lead


DEMO_ACCOUNTS = (
    DemoAccount("demo-admin", "Morwenna", "Quillfeather", "Systems administrator", Role.Kind.ADMINISTRATOR),
    DemoAccount(
        "demo-manager-children",
        "Tobias",
        "Wrenfield",
        "Partnership manager",
        Role.Kind.PARTNERSHIP_MANAGER,
        "children",
    ),
    DemoAccount(
        "demo-manager-adults", "Imogen", "Larkspur", "Board manager", Role.Kind.PARTNERSHIP_MANAGER, "adults"
    ),
    DemoAccount(
        "demo-member-children", "Desmond", "Oakhollow", "Board member", Role.Kind.BOARD_MEMBER, "children"
    ),
    DemoAccount("demo-member-adults", "Priya", "Thornbury", "Board member", Role.Kind.BOARD_MEMBER, "adults"),
    DemoAccount(
        "demo-lead-police", "Callum", "Ashgrove", "Detective inspector", Role.Kind.AGENCY_LEAD, "police"
    ),
    DemoAccount(
        "demo-lead-health",
        "Niamh",
        "Bellweather",
        "Named nurse for safeguarding",
        Role.Kind.AGENCY_LEAD,
        "health",
    ),
    DemoAccount("demo-viewer", "Rupert", "Fennimore", "Quality assurance officer", Role.Kind.VIEWER),
    DemoAccount(
        "demo-triage-adults", "Saoirse", "Millbeck", "Adult social care worker", Role.Kind.TRIAGE_WORKER
    ),
    DemoAccount(
        "demo-analyst", "Linnea", "Crossfield", "Exploitation analyst", Role.Kind.EXPLOITATION_ANALYST
    ),
)
# Triage workers are put in the team whose queue they work (teams come from the concerns app's
# default data; a deployment that renamed them gets no membership, which load_demo says nothing about).
DEMO_TEAMS = {"demo-triage-adults": "adult-social-care", "demo-analyst": "exploitation"}
DEMO_USERNAMES = frozenset(account.username for account in DEMO_ACCOUNTS)


def demo_email(username: str) -> str:
    return f"{username}@{DEMO_EMAIL_DOMAIN}"


def demo_account_is(user: User) -> bool:
    """Whether `user` is one of the demo accounts (by its username and its demo e-mail address)."""
    return user.username in DEMO_USERNAMES and user.email == demo_email(user.username)


# --- The review -----------------------------------------------------------------------------------
_REVIEW = {
    "title": "Training example: a fictional joint review of how agencies in Testborough shared "
    "what they knew",
    "short_title": "Training example: Testborough joint review",
    "review_type": Review.Type.JOINT_REVIEW,
    "commissioned": "Spring 2025 (fictional)",
    "period_covered": "2022 to 2024 (fictional)",
    "reviewer": "A fictional independent reviewer",
    "summary": "This is a **training example**. Nothing in it happened: the review, the people and the "
    "actions are made up, so that staff can try the tracker without touching real work.\n\n"
    "In the story, a young person moved from children's services to adult services while several "
    "agencies each knew part of what was happening to them.",
    "content_note": "Training example: fictional content created by `manage.py load_demo`.",
    "is_demo": True,
    "is_published": True,
}

# reference, title, text, audience, boards it is addressed to, lead agency keys, public status
_RECOMMENDATIONS = (
    (
        "T1",
        "Share information about risk at the front door",
        "Children's and adults' front doors should share what they know about a young person at risk "
        "of exploitation, on the day they learn it.",
        Recommendation.Audience.BOTH,
        ("children", "adults"),  # joint: both boards sign it off
        ("police", "health"),
        Recommendation.PublicStatus.IN_PROGRESS,
    ),
    (
        "T2",
        "Train staff in professional curiosity",
        "Every practitioner who meets young people should be trained to ask more, and to record why "
        "they were worried.",
        Recommendation.Audience.CHILDREN,
        ("children",),
        ("police", "health"),
        Recommendation.PublicStatus.IN_PROGRESS,
    ),
    (
        "T3",
        "Plan the move to adult services from age 17",
        "Transition planning should begin at 17 for every young person with care and support needs.",
        Recommendation.Audience.ADULTS,
        ("adults",),
        ("social_care", "health"),
        Recommendation.PublicStatus.IN_PROGRESS,
    ),
)


@dataclass(frozen=True)
class DemoEvidence:
    kind: str
    title: str
    state: str = Evidence.State.ACCEPTED
    return_reason: str = ""


@dataclass(frozen=True)
class DemoAction:
    recommendation: str
    description: str
    agency: str
    lead: str | None
    due_in_days: int | None
    status: str
    evidence: tuple[DemoEvidence, ...] = ()
    notes: tuple[str, ...] = ()
    override: str = ""
    override_reason: str = ""


_FILE, _LINK, _NOTE = Evidence.Kind.FILE, Evidence.Kind.LINK, Evidence.Kind.NOTE
_ACTIONS = (
    DemoAction(
        "T1",
        "Agree a same-day information-sharing protocol between the front doors",
        "police",
        "demo-lead-police",
        -60,
        Action.Status.COMPLETE,
        (
            DemoEvidence(_NOTE, "Protocol agreed at the partnership meeting"),
            DemoEvidence(_LINK, "The published protocol"),
        ),
        ("Draft protocol shared with both front doors.", "Protocol signed by all agencies."),
    ),
    DemoAction(
        "T1",
        "Audit a sample of referrals to check the protocol is used",
        "health",
        "demo-lead-health",
        -20,
        Action.Status.IMPACT_EVIDENCED,
        (DemoEvidence(_FILE, "Audit of 40 referrals"),),
        ("Audit found the protocol used in 37 of 40 referrals.",),
    ),
    DemoAction(
        "T2",
        "Run professional curiosity training for every front-line police officer",
        "police",
        "demo-lead-police",
        -12,
        Action.Status.IN_PROGRESS,
        (),
        ("Half of the sessions have run; the rest are booked.",),
    ),
    DemoAction(
        "T2",
        "Add professional curiosity to the health induction course",
        "health",
        "demo-lead-health",
        5,
        Action.Status.NOT_STARTED,
    ),
    DemoAction(
        "T2",
        "Publish a seven-minute briefing on professional curiosity",
        "police",
        None,
        8,
        Action.Status.IN_PROGRESS,
        (),
        ("Draft briefing with the communications team.",),
    ),
    DemoAction(
        "T2",
        "Record the training in every agency's learning system",
        "health",
        "demo-lead-health",
        -30,
        Action.Status.COMPLETE,
        (DemoEvidence(_NOTE, "Training records updated", Evidence.State.SUBMITTED),),
        ("All agencies have confirmed.",),
    ),
    DemoAction(
        "T3",
        "Start transition planning at 17 for every young person known to children's social care",
        "social_care",
        None,
        120,
        Action.Status.IN_PROGRESS,
        (),
        ("Pilot running in one locality.",),
    ),
    DemoAction(
        "T3",
        "Write a transition pathway shared by children's and adults' services",
        "social_care",
        None,
        None,
        Action.Status.NOT_STARTED,
    ),
    DemoAction(
        "T3",
        "Give GPs a named contact in adult social care for young people in transition",
        "health",
        "demo-lead-health",
        -5,
        Action.Status.COMPLETE,
        (
            DemoEvidence(
                _LINK,
                "Named contacts list",
                Evidence.State.RETURNED,
                "The link opens a draft. Please add the version the board approved.",
            ),
        ),
    ),
    DemoAction(
        "T3",
        "Review the transition cases open for more than a year",
        "social_care",
        None,
        -3,
        Action.Status.IN_PROGRESS,
        (),
        ("Extra staff agreed; review will finish next month.",),
        override="amber",
        override_reason="The board agreed a new date at its last meeting; the formal change is pending.",
    ),
)


# --- Loading --------------------------------------------------------------------------------------
@dataclass
class DemoResult:
    created: dict[str, int] = field(default_factory=dict)
    # (username, what the account can do, password): shown once, then gone.
    passwords: list[tuple[str, str, str]] = field(default_factory=list)

    def count(self, label: str) -> None:
        self.created[label] = self.created.get(label, 0) + 1

    def summary(self) -> str:
        if not self.created:
            return "nothing new: the demo data was already there"
        return "created " + ", ".join(
            f"{n} {label if n == 1 else _PLURALS.get(label, label + 's')}"
            for label, n in self.created.items()
        )


_PLURALS = {"evidence item": "evidence items", "review": "reviews"}


def _audit_created(obj: models.Model, *, subject: models.Model | None, summary: str) -> None:
    audit_record(
        kind=AuditEvent.Kind.CREATED,
        target=obj,
        subject=subject,
        summary=f"Demo data: {summary}"[:300],
        data={"source": "load_demo"},
    )


def _board(kind: str, review: Review | None) -> Board:
    """The demo review's board of this kind, or a fictional one: training material is never credited to
    the partnership's real boards."""
    if review is not None and (board := review.boards.filter(kind=kind).order_by("pk").first()):
        return board
    children = kind == Board.Kind.CHILDREN
    board, _ = Board.objects.get_or_create(
        slug="testborough-scp" if children else "testborough-sab",
        defaults={
            "name": "Testborough Safeguarding Children Partnership"
            if children
            else "Testborough Safeguarding Adults Board",
            "short_name": "TSCP" if children else "TSAB",
            "kind": kind,
        },
    )
    return board


_AGENCY_FALLBACKS = {
    "police": (Agency.Sector.POLICE, "testborough-police", "Testborough Police"),
    "health": (Agency.Sector.HEALTH, "testborough-health", "Testborough Health Trust"),
    "social_care": (Agency.Sector.SOCIAL_CARE, "testborough-social-care", "Testborough Adult Social Care"),
}


def _agency(key: str) -> Agency:
    """The partnership's first agency in the sector, or a fictional one."""
    sector, slug, name = _AGENCY_FALLBACKS[key]
    agency = Agency.objects.filter(sector=sector).order_by("name").first()
    if agency is None:
        agency, _ = Agency.objects.get_or_create(slug=slug, defaults={"name": name, "sector": sector})
    return agency


_PASSWORD_ALPHABET = string.ascii_letters + string.digits


def _password() -> str:
    # Letters and digits only, so a password never starts with "-" or needs quoting in a shell.
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(20))  # about 119 bits


def _accounts(
    result: DemoResult, *, boards: dict[str, Board], agencies: dict[str, Agency], reset_passwords: bool
) -> dict[str, User]:
    users = {}
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        scope_label = ""
        if account.role in Role.BOARD_KINDS:
            scope_label = f" ({boards[account.scope].short_name})"
        elif account.role in Role.AGENCY_KINDS:
            scope_label = f" ({agencies[account.scope].name})"
        described = f"{Role.Kind(account.role).label}{scope_label}"
        if user is None:
            password = _password()
            user = User.objects.create_user(
                username=account.username,
                email=demo_email(account.username),
                password=password,
                first_name=account.first_name,
                last_name=account.last_name,
                job_title=account.job_title,
                agency=agencies[account.scope] if account.role in Role.AGENCY_KINDS else None,
            )
            Role.objects.create(
                user=user,
                kind=account.role,
                board=boards[account.scope] if account.role in Role.BOARD_KINDS else None,
                agency=agencies[account.scope] if account.role in Role.AGENCY_KINDS else None,
            )
            _audit_created(user, subject=None, summary=f"created demo account {user.username}: {described}")
            result.count("demo account")
            result.passwords.append((user.username, described, password))
            if account.username in DEMO_TEAMS:
                team = Team.objects.filter(slug=DEMO_TEAMS[account.username]).first()
                if team is not None:
                    team.members.add(user)
        elif reset_passwords and demo_account_is(user):
            password = _password()
            user.set_password(password)
            user.save(update_fields=["password"])
            audit_record(
                kind=AuditEvent.Kind.USER_CHANGED,
                target=user,
                summary=f"Demo data: new password for demo account {user.username}",
                data={"source": "load_demo"},
            )
            result.passwords.append((user.username, described, password))
        users[account.username] = user
    return users


def _evidence_file(title: str) -> bytes:
    return (
        f"{title}\n\nTraining example: this file was made up by load_demo. It holds no real data.\n"
        "Referrals checked: 40. Protocol followed: 37. Follow-up agreed for the other 3.\n"
    ).encode()


def _evidence(
    result: DemoResult,
    action: Action,
    spec: DemoEvidence,
    *,
    supplier: User,
    reviewer: User,
    today: datetime.date,
) -> None:
    """Add the evidence as its supplier would, then accept or return it as the manager would."""
    if Evidence.objects.filter(action=action, title=spec.title).exists():
        return
    details: dict[str, Any] = {}
    if spec.kind == Evidence.Kind.FILE:
        # Through the upload checks, stored under a random name in the private storage.
        details = {"file": io.BytesIO(_evidence_file(spec.title)), "file_name": "referral-audit.txt"}
    elif spec.kind == Evidence.Kind.LINK:
        details = {"url": "https://example.org/training-example/" + secrets.token_hex(4)}
    else:
        details = {"note": f"{spec.title}. (Training example: fictional.)"}
    evidence = tracker_services.evidence_add(
        action=action,
        kind=spec.kind,
        title=spec.title,
        effective_date=today - datetime.timedelta(days=10),
        by=supplier,
        **details,
    )
    if spec.state == Evidence.State.ACCEPTED:
        tracker_services.evidence_accept(evidence=evidence, by=reviewer)
    elif spec.state == Evidence.State.RETURNED:
        tracker_services.evidence_return(evidence=evidence, reason=spec.return_reason, by=reviewer)
    result.count("evidence item")


def demo_load(*, reset_passwords: bool = False) -> DemoResult:
    """Create whatever of the demo data is missing. Existing rows are left exactly as they are.

    Tracker rows go through the tracker's services, as the demo staff would create them (so they are
    checked, audited and the public status follows); dates are relative to today.
    """
    _refuse_unless_allowed()
    today = timezone.localdate()
    result = DemoResult()
    with transaction.atomic():
        review = Review.objects.filter(slug=DEMO_REVIEW_SLUG).first()
        boards = {
            "children": _board(Board.Kind.CHILDREN, review),
            "adults": _board(Board.Kind.ADULTS, review),
        }
        agencies = {key: _agency(key) for key in _AGENCY_FALLBACKS}
        users = _accounts(result, boards=boards, agencies=agencies, reset_passwords=reset_passwords)
        if review is None:
            review = Review.objects.create(slug=DEMO_REVIEW_SLUG, published_on=today, **_REVIEW)
            review.boards.set(boards.values())
            _audit_created(review, subject=review, summary=f"created the review {review.short_title}")
            result.count("review")
        recommendations = _recommendations(result, review, boards=boards, agencies=agencies)
        for spec in _ACTIONS:
            _action(
                result,
                spec,
                recommendation=recommendations[spec.recommendation],
                agencies=agencies,
                users=users,
                today=today,
            )
        _sign_off(
            result,
            recommendations["T1"],
            board=boards["children"],
            by=users["demo-member-children"],
            today=today,
        )
        # Seeing the pattern: a small linked network of fictional concerns, with its alert.
        for _ in range(demo_network_load()):
            result.count("linked demo concern")
        # Learning across reviews: three fictional Testborough reviews whose recommendations partly repeat.
        loaded = sample_reviews_load()
        for _ in range(loaded.created.get("review", 0)):
            result.count("training review")
    # Worked out at once (not only by the task worker, which may not be running), after the commit.
    similarities_recompute()
    return result


def _recommendations(
    result: DemoResult, review: Review, *, boards: dict[str, Board], agencies: dict[str, Agency]
) -> dict[str, Recommendation]:
    recommendations = {}
    for order, (reference, title, text, audience, board_keys, agency_keys, status) in enumerate(
        _RECOMMENDATIONS
    ):
        recommendation = Recommendation.objects.filter(review=review, reference=reference).first()
        if recommendation is None:
            recommendation = Recommendation.objects.create(
                review=review,
                reference=reference,
                order=order,
                title=title,
                text=text,
                addressee=Recommendation.Addressee.LOCAL,
                addressed_to="Partnership agencies (fictional)",
                audience=audience,
                public_status=status,
                public_status_note="Training example: fictional progress.",
            )
            recommendation.boards.set([boards[key] for key in board_keys])
            recommendation.lead_agencies.set([agencies[key] for key in agency_keys])
            _audit_created(
                recommendation, subject=recommendation, summary=f"created recommendation {reference}"
            )
            result.count("recommendation")
        recommendations[reference] = recommendation
    return recommendations


def _manager(recommendation: Recommendation, users: dict[str, User]) -> User:
    """The demo partnership manager of a board the recommendation is addressed to."""
    board_kinds = {board.kind for board in recommendation.boards.all()}
    return users["demo-manager-children" if Board.Kind.CHILDREN in board_kinds else "demo-manager-adults"]


def _action(
    result: DemoResult,
    spec: DemoAction,
    *,
    recommendation: Recommendation,
    agencies: dict[str, Agency],
    users: dict[str, User],
    today: datetime.date,
) -> None:
    manager = _manager(recommendation, users)
    action = Action.objects.filter(recommendation=recommendation, description=spec.description).first()
    lead = users[spec.lead] if spec.lead else None
    if action is None:
        due = today + datetime.timedelta(days=spec.due_in_days) if spec.due_in_days is not None else None
        action = tracker_services.action_create(
            recommendation=recommendation,
            description=spec.description,
            owner_agency=agencies[spec.agency],
            by=manager,
            lead=lead,
            due_date=due,
            status=spec.status,
        )
        if spec.override:
            tracker_services.action_rag_override_set(
                action=action, rag=spec.override, reason=spec.override_reason, by=manager
            )
        result.count("action")
    supplier = lead or manager
    for evidence in spec.evidence:
        _evidence(result, action, evidence, supplier=supplier, reviewer=manager, today=today)
    for text in spec.notes:
        if not ProgressNote.objects.filter(action=action, text=text).exists():
            tracker_services.progress_note_add(action=action, text=text, by=supplier)
            result.count("progress note")


def _sign_off(
    result: DemoResult, recommendation: Recommendation, *, board: Board, by: User, today: datetime.date
) -> None:
    """One board's sign-off of the joint recommendation: the other board has not signed it yet."""
    if SignOff.objects.filter(recommendation=recommendation).exists():
        return
    tracker_services.sign_off_record(
        recommendation=recommendation,
        board=board,
        meeting_date=today - datetime.timedelta(days=1),
        minute_reference=f"{board.short_name} training example, item 7",
        decision=SignOff.Decision.PROGRESSED_IN_FULL,
        notes="Training example: the board agreed the recommendation had been progressed in full.",
        by=by,
    )
    result.count("sign-off")
