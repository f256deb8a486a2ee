"""What the settings pages read: each list as an administrator sees it, described in plain words."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Q, QuerySet

from safeguarding.accounts.models import AgencyApiToken, Role, User
from safeguarding.accounts.selectors import user_has_confirmed_device
from safeguarding.concerns.models import About, DecisionOption, RoutingRule, Team
from safeguarding.partnership.models import Agency, Board, ContactPoint


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str
    description: str


SECTIONS = [
    Section("Routing rules", "administration:routing_rule_list", "Which teams new concerns go to."),
    Section(
        "Decision options",
        "administration:decision_option_list",
        "What triage workers may decide, and how long each kind of concern is kept.",
    ),
    Section("Teams", "administration:team_list", "The teams that receive concerns, and their members."),
    Section(
        "Contact points",
        "administration:contact_point_list",
        "The numbers the public is given on the Get help page.",
    ),
    Section(
        "Partnership",
        "administration:partnership_edit",
        "The partnership's name, at the top of every page, and the area it serves.",
    ),
    Section("Boards", "administration:board_list", "The statutory boards people have roles on."),
    Section(
        "Agencies",
        "administration:agency_list",
        "The organisations staff, actions and API tokens belong to.",
    ),
    Section("Users", "administration:user_list", "Staff accounts and their roles."),
    Section("API tokens", "administration:api_token_list", "Agency systems that send concerns."),
]


def settings_sections() -> list[Section]:
    return SECTIONS


@dataclass(frozen=True)
class RuleDescribed:
    rule: RoutingRule
    conditions: list[str]
    actions: list[str]


def routing_rule_conditions(rule: RoutingRule) -> list[str]:
    """The rule's conditions in plain words; "Every concern" when it has none."""
    labels = dict(About.choices)
    conditions = []
    if rule.about_in:
        conditions.append("About: " + " or ".join(labels.get(code, code).lower() for code in rule.about_in))
    if rule.immediate_danger is not None:
        conditions.append(
            "Someone is in immediate danger" if rule.immediate_danger else "No one is in immediate danger"
        )
    if rule.has_exploitation_signs is not None:
        conditions.append(
            "Signs of exploitation ticked"
            if rule.has_exploitation_signs
            else "No signs of exploitation ticked"
        )
    return conditions or ["Every concern"]


def routing_rule_actions(rule: RoutingRule) -> list[str]:
    actions = []
    if rule.team_id is not None:
        actions.append(f"Send to {rule.team}")
    if rule.mark_urgent:
        actions.append("Mark urgent")
    return actions


def routing_rules_described() -> list[RuleDescribed]:
    """Every rule, active or not, in the order they apply."""
    rules = RoutingRule.objects.select_related("team").order_by("order", "id")
    return [RuleDescribed(r, routing_rule_conditions(r), routing_rule_actions(r)) for r in rules]


def decision_options_all() -> QuerySet[DecisionOption]:
    return DecisionOption.objects.order_by("order", "name")


def teams_all() -> QuerySet[Team]:
    """Every team, with its lead and how many members it has."""
    return Team.objects.select_related("lead").annotate(member_count=Count("members")).order_by("name")


def team_members(*, team: Team) -> QuerySet[User]:
    return team.members.select_related("agency").order_by("first_name", "last_name", "username")


def team_rules(*, team: Team) -> list[RuleDescribed]:
    """The rules that send concerns to the team, in the order they apply."""
    rules = RoutingRule.objects.filter(team=team).select_related("team").order_by("order", "id")
    return [RuleDescribed(r, routing_rule_conditions(r), routing_rule_actions(r)) for r in rules]


def contact_points_all() -> QuerySet[ContactPoint]:
    return ContactPoint.objects.order_by("kind", "order", "name")


NO_ROLE = "none"


def users_listed(*, active: bool, words: Sequence[str] = (), role: str | None = None) -> QuerySet[User]:
    """Accounts, active or deactivated, by name, with their agency and roles. Each of `words` must be
    in the first or last name, the username or the e-mail address; `role` is a role's kind, or
    "none" for accounts with no role."""
    users = User.objects.filter(is_active=active)
    for word in words:
        users = users.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
            | Q(email__icontains=word)
        )
    if role == NO_ROLE:
        users = users.filter(roles=None)
    elif role:
        users = users.filter(pk__in=Role.objects.filter(kind=role).values("user_id"))
    return (
        users.select_related("agency")
        .prefetch_related("roles__board", "roles__agency")
        .order_by("first_name", "last_name", "username", "pk")
    )


@dataclass(frozen=True)
class AccountDescribed:
    user: User
    roles: list[Role]
    teams: list[Team]
    two_step_set_up: bool
    password_set: bool


def user_described(*, user: User) -> AccountDescribed:
    return AccountDescribed(
        user=user,
        roles=list(user.roles.select_related("board", "agency").order_by("kind")),
        teams=list(user.concern_teams.order_by("name")),
        two_step_set_up=user_has_confirmed_device(user=user),
        password_set=user.has_usable_password(),
    )


def api_tokens_all() -> QuerySet[AgencyApiToken]:
    """Every token, those still working first, newest first."""
    return AgencyApiToken.objects.select_related("agency").order_by("revoked_at", "-created_at")


# What records that name a board or an agency are called, in plain words (singular, plural).
_RECORD_WORDS = {
    "accounts.agencyapitoken": ("API token", "API tokens"),
    "accounts.role": ("role", "roles"),
    "accounts.user": ("user account", "user accounts"),
    "concerns.concern": ("concern", "concerns"),
    "concerns.informationshare": ("record of information shared", "records of information shared"),
    "reviews.recommendation": ("recommendation", "recommendations"),
    "reviews.review": ("review", "reviews"),
    "tracker.action": ("action", "actions"),
    "tracker.agencytally": ("dashboard count", "dashboard counts"),
    "tracker.signoff": ("sign-off", "sign-offs"),
    "tracker.tallyboard": ("dashboard count", "dashboard counts"),
}


def record_references(record: models.Model) -> list[str]:
    """What names `record` (every kind of record that points at it, found from the models, so a new
    one counts without a change here), as ["3 user accounts", "1 action"]; empty if nothing does."""
    found: list[str] = []
    for relation in record._meta.get_fields(include_hidden=True):
        if not (relation.is_relation and relation.auto_created and not relation.concrete):
            continue
        model = relation.related_model
        if model is None or isinstance(model, str) or model._meta.auto_created:
            continue  # a many-to-many table: its model's own relation counts it
        field_name = relation.field.name  # type: ignore[union-attr]
        count = model._default_manager.filter(**{field_name: record}).count()
        if count:
            meta = model._meta
            one, many = _RECORD_WORDS.get(meta.label_lower, (meta.verbose_name, meta.verbose_name_plural))
            found.append(f"{count} {one if count == 1 else many}")
    return found


def references_in_words(references: list[str]) -> str:
    """["3 user accounts", "2 actions", "1 role"] as "3 user accounts, 2 actions and 1 role"."""
    if len(references) <= 1:
        return "".join(references)
    return ", ".join(references[:-1]) + " and " + references[-1]


def boards_all() -> QuerySet[Board]:
    return Board.objects.order_by("kind", "name")


def agencies_all() -> QuerySet[Agency]:
    """Every agency by name, with how many staff accounts belong to it."""
    return Agency.objects.annotate(user_count=Count("users")).order_by("name")
