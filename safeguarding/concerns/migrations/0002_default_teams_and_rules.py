"""The default teams and routing rules (issue 4): administrators may change both afterwards."""

from django.db import migrations

TEAMS = [
    ("children-front-door", "Children's front door", "children_front_door"),
    ("adult-social-care", "Adult social care", "adult_social_care"),
    ("exploitation", "Exploitation team", "exploitation"),
]
# (order, name, about_in, immediate_danger, has_exploitation_signs, team slug, mark_urgent)
RULES = [
    (10, "Children to the children's front door", ["child"], None, None, "children-front-door", False),
    (20, "Adults to adult social care", ["adult"], None, None, "adult-social-care", False),
    (30, "Not sure: to the children's front door", ["not_sure"], None, None, "children-front-door", False),
    (40, "Not sure: to adult social care", ["not_sure"], None, None, "adult-social-care", False),
    (50, "Immediate danger is urgent", [], True, None, None, True),
    (60, "Signs of exploitation: also to the exploitation team", [], None, True, "exploitation", False),
]


def create_defaults(apps, schema_editor):
    Team = apps.get_model("concerns", "Team")
    RoutingRule = apps.get_model("concerns", "RoutingRule")
    teams = {}
    for slug, name, kind in TEAMS:
        teams[slug], _ = Team.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind})
    for order, name, about_in, danger, signs, team_slug, urgent in RULES:
        RoutingRule.objects.get_or_create(
            name=name,
            defaults={
                "order": order,
                "about_in": about_in,
                "immediate_danger": danger,
                "has_exploitation_signs": signs,
                "team": teams[team_slug] if team_slug else None,
                "mark_urgent": urgent,
            },
        )


def remove_defaults(apps, schema_editor):
    RoutingRule = apps.get_model("concerns", "RoutingRule")
    Team = apps.get_model("concerns", "Team")
    RoutingRule.objects.filter(name__in=[rule[1] for rule in RULES], routes__isnull=True).delete()
    Team.objects.filter(slug__in=[team[0] for team in TEAMS], routes__isnull=True, rules__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("concerns", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
