"""Teams: the list, add, change, a team's members (add, remove) and its lead."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from safeguarding.accounts.decorators import AuthenticatedHttpRequest
from safeguarding.accounts.models import User
from safeguarding.concerns.models import Team

from .. import selectors, services
from ..forms import TeamForm, TeamLeadForm, TeamMemberForm
from ..permissions import administrator_required
from .common import confirm_page, form_page, posted

SECTION = "teams"


def _team_url(team: Team) -> str:
    return reverse("administration:team_detail", kwargs={"pk": team.pk})


@administrator_required
@require_http_methods(["GET", "HEAD"])
def team_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request, "administration/team_list.html", {"teams": selectors.teams_all(), "section": SECTION}
    )


@administrator_required
@require_http_methods(["GET", "HEAD"])
def team_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team.objects.select_related("lead"), pk=pk)
    return render(
        request,
        "administration/team_detail.html",
        {
            "team": team,
            "members": selectors.team_members(team=team),
            "rules": selectors.team_rules(team=team),
            "section": SECTION,
        },
    )


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    return form_page(
        request,
        form=TeamForm(posted(request), initial={"kind": Team.Kind.OTHER}),
        title="Add a team",
        button="Add the team",
        act=lambda f: services.team_create(by=request.user, **f.cleaned_data),
        done="Team added. Add its members, then a routing rule to send it concerns.",
        back=reverse("administration:team_list"),
        then=_team_url,
        section=SECTION,
    )


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=pk)
    return form_page(
        request,
        form=TeamForm(posted(request), initial={"name": team.name, "kind": team.kind}),
        title=f"Change the team “{team.name}”",
        button="Save the team",
        act=lambda f: services.team_update(team=team, by=request.user, **f.cleaned_data),
        done="Team saved.",
        back=_team_url(team),
        section=SECTION,
    )


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_member_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=pk)
    return form_page(
        request,
        form=TeamMemberForm(posted(request), team=team),
        title=f"Add a member to {team.name}",
        caption=team.name,
        button="Add to the team",
        act=lambda f: services.team_member_add(team=team, user=f.cleaned_data["user"], by=request.user),
        done="Member added. They can see the team's queue now.",
        back=_team_url(team),
        section=SECTION,
        intro="Members see the team's queue and every concern sent to the team.",
    )


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_member_remove(request: AuthenticatedHttpRequest, pk: int, user_pk: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=pk)
    user = get_object_or_404(User, pk=user_pk, concern_teams=team)
    return confirm_page(
        request,
        title=f"Remove {user} from {team.name}?",
        body="They will no longer see the team's queue or the concerns sent to it"
        + (", and the team will have no lead." if team.lead_id == user.pk else "."),
        button="Remove from the team",
        act=lambda: services.team_member_remove(team=team, user=user, by=request.user),
        done=f"{user} removed from the team.",
        back=_team_url(team),
        section=SECTION,
        warning=True,
    )


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_lead(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=pk)
    form = TeamLeadForm(posted(request), team=team, initial={"lead": str(team.lead_id or "none")})
    return form_page(
        request,
        form=form,
        title=f"Who leads {team.name}?",
        caption=team.name,
        button="Save",
        act=lambda f: services.team_lead_set(team=team, lead=f.chosen(), by=request.user),
        done="Team lead saved.",
        back=_team_url(team),
        section=SECTION,
        intro="The lead must be a member of the team. Add them as a member first if they are not listed.",
    )
