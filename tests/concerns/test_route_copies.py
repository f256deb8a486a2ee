"""A route carries copies of its concern's fields that never change after intake (about, source,
immediate danger, signs), so the triage queue can ask a team's routes first (docs/decisions/0030).
Every way a route is made must copy them; the migration fills the routes made before."""

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q

from safeguarding.concerns import services
from safeguarding.concerns.models import Concern, ConcernRoute, RoutingRule, Team
from safeguarding.concerns.routing import concern_route
from tests.concerns.factories import (
    ConcernFactory,
    ConcernRouteFactory,
    ConcernRowFactory,
    RoutingRuleFactory,
    TeamMemberFactory,
)
from tests.partnership.factories import AgencyFactory

pytestmark = pytest.mark.django_db

COPIED = ConcernRoute.COPIED_FIELDS


def routes_not_matching_their_concern():
    differs = Q()
    for name in COPIED:
        differs |= ~Q(**{name: F(f"concern__{name}")})
    return ConcernRoute.objects.filter(differs)


def test_the_copied_fields_are_the_concern_s_own():
    assert set(COPIED) == {"about", "source", "immediate_danger", "has_signs"}
    for name in COPIED:
        assert Concern._meta.get_field(name).get_internal_type() == (
            ConcernRoute._meta.get_field(name).get_internal_type()
        )


def test_every_way_a_route_is_made_copies_its_concern():
    agency = AgencyFactory()
    exploitation = Team.objects.get(slug="exploitation")
    RoutingRuleFactory(about_in=["adult"], has_exploitation_signs=False)  # a team only for adults
    made = [
        # Intake: the default rules, a rule's team-less "urgent" route, the safety net's front doors.
        ConcernFactory(about="child"),
        ConcernFactory(about="adult", immediate_danger=True, source="professional", agency=agency),
        ConcernFactory(about="not_sure", signs=["vehicles"], source="api", agency=agency),
        ConcernFactory(about="adult", signs=["missing"], immediate_danger=True),
    ]
    worker = TeamMemberFactory(teams=["children-front-door", "adult-social-care"], viewer=True)
    services.concern_mark_urgent(concern=made[0], by=worker)  # its team-less route
    services.concern_share_with_team(concern=made[0], team=exploitation, reason="Fictional reason", by=worker)
    services.concern_share_with_team(concern=made[1], team=exploitation, reason="Fictional reason", by=worker)
    row = ConcernRowFactory(about="adult", source="api", agency=agency, immediate_danger=True, has_signs=True)
    ConcernRouteFactory(concern=row)  # a test's own route, saved
    # The safety net: no active rule, so the front doors (bulk-created, as every rule's routes are).
    RoutingRule.objects.update(active=False)
    routed = concern_route(ConcernRowFactory(about="not_sure", source="professional", agency=agency))
    assert len(routed) == 2
    assert all(route.rule_id is None and route.team_id for route in routed)

    routes = ConcernRoute.objects.all()
    kinds = {
        "team-less": routes.filter(team=None).count(),
        "shared": routes.exclude(shared_by=None).count(),
        "by a rule": routes.exclude(rule=None).count(),
    }
    assert all(kinds.values()), kinds
    assert routes.count() >= 12
    assert not routes_not_matching_their_concern().exists()
    values = {name: set(routes.values_list(name, flat=True)) for name in COPIED}
    assert values["about"] == {"child", "adult", "not_sure"}
    assert values["source"] == {"public", "professional", "api"}
    assert values["immediate_danger"] == values["has_signs"] == {True, False}


def test_a_route_saved_later_keeps_its_copies():
    route = ConcernRouteFactory(concern=ConcernRowFactory(about="adult"))
    route.reason = "Changed reason"
    route.save()
    route.refresh_from_db()
    assert route.about == "adult"


def test_a_bulk_created_route_without_its_copies_is_refused():
    concern = ConcernRowFactory(about="child")
    team = Team.objects.get(slug="children-front-door")
    with pytest.raises(IntegrityError), transaction.atomic():
        ConcernRoute.objects.bulk_create([ConcernRoute(concern=concern, team=team, reason="Forgot")])


def test_the_migration_fills_the_routes_made_before_it():
    migration = importlib.import_module(
        "safeguarding.concerns.migrations.0010_route_copies_of_concern_fields"
    )
    agency = AgencyFactory()
    concerns = [
        ConcernRowFactory(about="adult", source="api", agency=agency, immediate_danger=True, has_signs=True),
        ConcernRowFactory(about="not_sure", source="professional", agency=agency),
        ConcernRowFactory(about="child"),
    ]
    for concern in concerns:
        ConcernRouteFactory(concern=concern)
    # As they were before the migration: no copies yet (wrong ones here, as the check refuses blanks).
    ConcernRoute.objects.update(about="child", source="public", immediate_danger=False, has_signs=True)
    assert routes_not_matching_their_concern().count() == 3
    # Not entered: SQLite's editor will not start inside the test's transaction, and the fill only
    # runs one UPDATE through it.
    migration.copies_fill(apps, connection.schema_editor())
    assert not routes_not_matching_their_concern().exists()
