"""The settings pages' forms: they gather and shape input; the services check and save it.

Every message is specific to its field, in GOV.UK's words ("Enter...", "Select..."), never Django's
"This field is required."
"""

from typing import Any

from django import forms

from safeguarding.accounts.models import Role, User
from safeguarding.concerns.models import About, DecisionOption, Team
from safeguarding.core.forms import GovukForm, form_field
from safeguarding.partnership.models import Agency, Board, ContactPoint

from . import selectors
from .services import RETENTION_YEARS_MAX
from .services.contacts import PHONE_INVALID, phone_valid

ANY = "any"
YES = "yes"
NO = "no"
_EITHER_CHOICES = [(ANY, "Either: the rule does not look at this"), (YES, "Yes"), (NO, "No")]
_YES_NO = [(YES, "Yes"), (NO, "No")]


def either_value(value: str) -> bool | None:
    """The stored value of an either / yes / no answer: None, True or False."""
    return None if value == ANY else value == YES


def either_answer(value: bool | None) -> str:
    return ANY if value is None else (YES if value else NO)


class RoutingRuleForm(GovukForm):
    name = forms.CharField(
        label="Name of the rule",
        max_length=200,
        help_text="Say what it does, for example 'Children to the children's front door'.",
        error_messages={
            "required": "Enter a name for the rule",
            "max_length": "Name of the rule must be 200 characters or fewer",
        },
    )
    about_in = forms.MultipleChoiceField(
        label="Who the concern is about",
        choices=About.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The rule matches concerns about any of those ticked. Tick none to match every concern.",
        error_messages={"invalid_choice": "Select who the concern is about from the list"},
    )
    immediate_danger = forms.ChoiceField(
        label="Someone is in immediate danger",
        choices=_EITHER_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the rule looks at immediate danger",
            "invalid_choice": "Select whether the rule looks at immediate danger",
        },
    )
    has_exploitation_signs = forms.ChoiceField(
        label="Signs of exploitation were ticked",
        choices=_EITHER_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the rule looks at signs of exploitation",
            "invalid_choice": "Select whether the rule looks at signs of exploitation",
        },
    )
    team = forms.ModelChoiceField(
        label="Send matching concerns to",
        queryset=Team.objects.none(),
        required=False,
        empty_label="No team: only mark them urgent",
        error_messages={"invalid_choice": "Select a team from the list"},
    )
    mark_urgent = forms.ChoiceField(
        label="Mark matching concerns urgent",
        choices=_YES_NO,
        widget=forms.RadioSelect,
        help_text="Urgent concerns come first in every queue.",
        error_messages={
            "required": "Select whether to mark matching concerns urgent",
            "invalid_choice": "Select whether to mark matching concerns urgent",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "team", forms.ModelChoiceField).queryset = Team.objects.order_by("name")

    @classmethod
    def initial_for(cls, rule: Any) -> dict[str, Any]:
        return {
            "name": rule.name,
            "about_in": list(rule.about_in),
            "immediate_danger": either_answer(rule.immediate_danger),
            "has_exploitation_signs": either_answer(rule.has_exploitation_signs),
            "team": rule.team_id,
            "mark_urgent": YES if rule.mark_urgent else NO,
        }

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "about_in": list(data["about_in"]),
            "immediate_danger": either_value(data["immediate_danger"]),
            "has_exploitation_signs": either_value(data["has_exploitation_signs"]),
            "team": data["team"],
            "mark_urgent": data["mark_urgent"] == YES,
        }


class DecisionOptionForm(GovukForm):
    name = forms.CharField(
        label="Name of the decision",
        max_length=200,
        help_text="What the triage worker chooses, for example 'Strategy discussion'.",
        error_messages={
            "required": "Enter a name for the decision",
            "max_length": "Name of the decision must be 200 characters or fewer",
        },
    )
    applies_to = forms.ChoiceField(
        label="Which concerns it is for",
        choices=DecisionOption.AppliesTo.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select which concerns the decision is for",
            "invalid_choice": "Select which concerns the decision is for",
        },
    )
    retention_years = forms.IntegerField(
        label="Years a concern decided this way is kept",
        help_text="Counted from the date of the decision. The longest period of a concern's decisions wins.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-input--width-3"}),
        error_messages={
            "required": "Enter how many years a concern decided this way is kept",
            "invalid": "Years kept must be a whole number, like 6",
        },
    )
    closes_concern = forms.ChoiceField(
        label="Deciding this closes the concern",
        choices=_YES_NO,
        widget=forms.RadioSelect,
        help_text="A closed concern leaves the queue.",
        error_messages={
            "required": "Select whether deciding this closes the concern",
            "invalid_choice": "Select whether deciding this closes the concern",
        },
    )

    def clean_retention_years(self) -> int:
        years = self.cleaned_data["retention_years"]
        if not 1 <= years <= RETENTION_YEARS_MAX:
            raise forms.ValidationError(f"Years kept must be between 1 and {RETENTION_YEARS_MAX}")
        return years

    @classmethod
    def initial_for(cls, option: Any) -> dict[str, Any]:
        return {
            "name": option.name,
            "applies_to": option.applies_to,
            "retention_years": option.retention_years,
            "closes_concern": YES if option.closes_concern else NO,
        }

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "applies_to": data["applies_to"],
            "retention_years": data["retention_years"],
            "closes_concern": data["closes_concern"] == YES,
        }


class TeamForm(GovukForm):
    name = forms.CharField(
        label="Name of the team",
        max_length=200,
        error_messages={
            "required": "Enter the name of the team",
            "max_length": "Name of the team must be 200 characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="Kind of team",
        choices=Team.Kind.choices,
        widget=forms.RadioSelect,
        help_text="A concern no rule sends anywhere goes to every front door and adult social care team.",
        error_messages={
            "required": "Select what kind of team it is",
            "invalid_choice": "Select what kind of team it is",
        },
    )


class _UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.get_username()
        agency = f", {obj.agency}" if obj.agency_id else ""
        return f"{name} ({obj.get_username()}{agency})"


class TeamMemberForm(GovukForm):
    user = _UserChoiceField(
        label="Who to add",
        queryset=User.objects.none(),
        empty_label="Choose a person",
        error_messages={
            "required": "Select who to add to the team",
            "invalid_choice": "Select someone from the list",
        },
    )

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "user", forms.ModelChoiceField).queryset = (
            User.objects.filter(is_active=True)
            .exclude(concern_teams=team)
            .select_related("agency")
            .order_by("first_name", "last_name", "username")
        )


class TeamLeadForm(GovukForm):
    lead = forms.ChoiceField(
        label="Who leads the team",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who leads the team, or no lead",
            "invalid_choice": "Select a member of the team, or no lead",
        },
    )

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {
            str(user.pk): user for user in team.members.order_by("first_name", "last_name", "username")
        }
        choices = [(pk, user.get_full_name() or user.get_username()) for pk, user in self.members.items()]
        form_field(self, "lead", forms.ChoiceField).choices = [*choices, ("none", "No lead")]

    def chosen(self) -> Any:
        return self.members.get(self.cleaned_data["lead"])


class ContactPointForm(GovukForm):
    name = forms.CharField(
        label="Name of the service",
        max_length=200,
        help_text="For example 'Initial Response Service'.",
        error_messages={
            "required": "Enter the name of the service",
            "max_length": "Name of the service must be 200 characters or fewer",
        },
    )
    organisation = forms.CharField(
        label="Organisation (optional)",
        max_length=200,
        required=False,
        error_messages={"max_length": "Organisation must be 200 characters or fewer"},
    )
    kind = forms.ChoiceField(
        label="Kind of contact point",
        choices=ContactPoint.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what kind of contact point it is",
            "invalid_choice": "Select what kind of contact point it is",
        },
    )
    audience = forms.ChoiceField(
        label="Who it is for",
        choices=ContactPoint.Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who it is for", "invalid_choice": "Select who it is for"},
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=40,
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "off", "class": "govuk-input govuk-input--width-20"}
        ),
        error_messages={
            "required": "Enter the phone number",
            "max_length": "Phone number must be 40 characters or fewer",
        },
    )
    hours = forms.CharField(
        label="When it is open",
        max_length=200,
        help_text="In plain words, for example 'Monday to Friday, 8:30am to 5pm'.",
        error_messages={
            "required": "Enter when the line is open, like 'Monday to Friday, 8:30am to 5pm'",
            "max_length": "When it is open must be 200 characters or fewer",
        },
    )
    description = forms.CharField(
        label="When to use it (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "When to use it must be 2000 characters or fewer"},
    )
    website = forms.URLField(
        label="Website (optional)",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter a web address, like https://www.example.org",
            "max_length": "Website must be 200 characters or fewer",
        },
    )
    order = forms.IntegerField(
        label="Position on the help page",
        min_value=0,
        max_value=32767,
        help_text="Lower numbers are listed first within each group.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-input--width-3"}),
        error_messages={
            "required": "Enter the position on the help page, like 10",
            "invalid": "Position must be a whole number, like 10",
            "min_value": "Position must be 0 or more",
            "max_value": "Position must be 32767 or less",
        },
    )

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if not phone_valid(phone):
            raise forms.ValidationError(PHONE_INVALID)
        return phone

    FIELDS = ("kind", "audience", "name", "organisation", "phone", "hours", "description", "website", "order")

    @classmethod
    def initial_for(cls, point: Any) -> dict[str, Any]:
        return {name: getattr(point, name) for name in cls.FIELDS}


class UserDetailsForm(GovukForm):
    first_name = forms.CharField(
        label="First name",
        max_length=150,
        error_messages={
            "required": "Enter their first name",
            "max_length": "First name must be 150 characters or fewer",
        },
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=150,
        error_messages={
            "required": "Enter their last name",
            "max_length": "Last name must be 150 characters or fewer",
        },
    )
    email = forms.EmailField(
        label="E-mail address",
        help_text="Their work address: the link to set their password is sent here.",
        max_length=254,
        widget=forms.EmailInput(attrs={"class": "govuk-input", "autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter their e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.org",
        },
    )
    job_title = forms.CharField(
        label="Job title (optional)",
        max_length=200,
        required=False,
        error_messages={"max_length": "Job title must be 200 characters or fewer"},
    )
    agency = forms.ModelChoiceField(
        label="Agency (optional)",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="No agency",
        error_messages={"invalid_choice": "Select an agency from the list"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "agency", forms.ModelChoiceField).queryset = Agency.objects.order_by("name")

    @classmethod
    def initial_for(cls, user: Any) -> dict[str, Any]:
        return {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "job_title": user.job_title,
            "agency": user.agency_id,
        }


class UserCreateForm(UserDetailsForm):
    username = forms.CharField(
        label="Username",
        max_length=150,
        help_text="What they type to sign in, for example 'sam.jones'. Letters, digits and @ . + - _ only.",
        widget=forms.TextInput(attrs={"class": "govuk-input", "autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter a username",
            "max_length": "Username must be 150 characters or fewer",
        },
    )
    field_order = ["username", "first_name", "last_name", "email", "job_title", "agency"]


class RoleForm(GovukForm):
    kind = forms.ChoiceField(
        label="Role",
        choices=Role.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role", "invalid_choice": "Select a role"},
    )
    board = forms.ModelChoiceField(
        label="Board (for a partnership manager or board member)",
        queryset=Board.objects.none(),
        required=False,
        empty_label="Choose a board",
        error_messages={"invalid_choice": "Select a board from the list"},
    )
    agency = forms.ModelChoiceField(
        label="Agency (for an agency lead)",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Choose an agency",
        error_messages={"invalid_choice": "Select an agency from the list"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "board", forms.ModelChoiceField).queryset = Board.objects.order_by("kind", "name")
        form_field(self, "agency", forms.ModelChoiceField).queryset = Agency.objects.order_by("name")


class ApiTokenForm(GovukForm):
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        empty_label="Choose an agency",
        help_text="Concerns sent with the token are recorded as referrals from this agency.",
        error_messages={"required": "Select the agency", "invalid_choice": "Select an agency from the list"},
    )
    name = forms.CharField(
        label="Name of the system that will use it",
        max_length=200,
        help_text="For example 'Police case management'. No personal names.",
        error_messages={
            "required": "Enter the name of the system that will use the token",
            "max_length": "Name must be 200 characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "agency", forms.ModelChoiceField).queryset = Agency.objects.order_by("name")


class PartnershipForm(GovukForm):
    name = forms.CharField(
        label="Name of the partnership",
        max_length=200,
        help_text="Shown at the top of every page, for the public and for staff.",
        error_messages={
            "required": "Enter the name of the partnership",
            "max_length": "Name of the partnership must be 200 characters or fewer",
        },
    )
    area = forms.CharField(
        label="Area it serves",
        max_length=200,
        help_text="The place, for example 'Testborough'.",
        error_messages={
            "required": "Enter the area the partnership serves",
            "max_length": "Area must be 200 characters or fewer",
        },
    )
    about = forms.CharField(
        label="About the partnership (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="A short paragraph for the home page. You can use Markdown for links.",
        error_messages={"max_length": "About the partnership must be 5000 characters or fewer"},
    )

    @classmethod
    def initial_for(cls, partnership: Any) -> dict[str, Any]:
        return {"name": partnership.name, "area": partnership.area, "about": partnership.about}


class BoardForm(GovukForm):
    name = forms.CharField(
        label="Name of the board",
        max_length=200,
        help_text="For example 'Testborough Safeguarding Adults Board'.",
        error_messages={
            "required": "Enter the name of the board",
            "max_length": "Name of the board must be 200 characters or fewer",
        },
    )
    short_name = forms.CharField(
        label="Short name",
        max_length=20,
        help_text="What people call it for short, for example TSAB.",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
        error_messages={
            "required": "Enter the board's short name, like NSCP",
            "max_length": "Short name must be 20 characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="Kind of board",
        choices=Board.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what kind of board it is",
            "invalid_choice": "Select what kind of board it is",
        },
    )
    website = forms.URLField(
        label="Website (optional)",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter a web address, like https://www.example.org",
            "max_length": "Website must be 200 characters or fewer",
        },
    )

    @classmethod
    def initial_for(cls, board: Any) -> dict[str, Any]:
        return {name: getattr(board, name) for name in ("name", "short_name", "kind", "website")}


class AgencyForm(GovukForm):
    name = forms.CharField(
        label="Name of the agency",
        max_length=200,
        help_text="For example 'Testborough Police'.",
        error_messages={
            "required": "Enter the name of the agency",
            "max_length": "Name of the agency must be 200 characters or fewer",
        },
    )
    sector = forms.ChoiceField(
        label="Sector",
        choices=Agency.Sector.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the agency's sector",
            "invalid_choice": "Select the agency's sector",
        },
    )

    @classmethod
    def initial_for(cls, agency: Any) -> dict[str, Any]:
        return {"name": agency.name, "sector": agency.sector}


SHOW_CHOICES = [("active", "Active"), ("deactivated", "Deactivated")]


class UserSearchForm(GovukForm):
    """The users list's search and filters (a GET form: staff are not victims, and the access log
    leaves query strings out). Blank means "any"; anything not offered is an error, not ignored."""

    id_prefix = "search"

    q = forms.CharField(
        label="Name, username or e-mail",
        required=False,
        max_length=100,
        error_messages={
            "max_length": "Search must be 100 characters or fewer",
            "null_characters_not_allowed": "Search must only hold letters, digits and punctuation",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        required=False,
        choices=[("", "Any role"), *Role.Kind.choices, (selectors.NO_ROLE, "No role")],
        error_messages={"invalid_choice": "Select a role from the list"},
    )
    show = forms.ChoiceField(
        label="Status",
        required=False,
        choices=SHOW_CHOICES,
        error_messages={"invalid_choice": "Select active or deactivated users"},
    )

    def filters(self) -> dict[str, Any]:
        """What to list, for `selectors.users_listed` (call only when the form is valid)."""
        data = self.cleaned_data
        return {
            "active": (data["show"] or "active") == "active",
            "words": data["q"].split(),
            "role": data["role"] or None,
        }
