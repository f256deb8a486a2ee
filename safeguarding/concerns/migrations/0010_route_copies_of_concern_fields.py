"""Routes carry copies of their concern's fields that never change after intake (about, source,
immediate danger, signs), so a team's queue filtered by one of them can first ask the team's own
routes whether it has any such concern (docs/decisions/0030)."""

from django.db import migrations, models

COPIED = ("about", "source", "immediate_danger", "has_signs")


def copies_fill(apps, schema_editor):
    """Existing routes: copy from their concern, in one statement (over a million rows at most)."""
    route = schema_editor.quote_name(apps.get_model("concerns", "ConcernRoute")._meta.db_table)
    concern = schema_editor.quote_name(apps.get_model("concerns", "Concern")._meta.db_table)
    columns = ", ".join(f"{name} = c.{name}" for name in COPIED)
    # UPDATE ... FROM: PostgreSQL, and SQLite since 3.33. Our own table and column names only.
    schema_editor.execute(
        f"UPDATE {route} SET {columns} FROM {concern} c WHERE c.id = {route}.concern_id"  # noqa: S608
    )


class Migration(migrations.Migration):
    dependencies = [
        ("concerns", "0009_merge_20261203_0622"),
    ]

    operations = [
        migrations.AddField(
            model_name="concernroute",
            name="about",
            field=models.CharField(
                choices=[
                    ("child", "A child or young person (under 18)"),
                    ("adult", "An adult (18 or over)"),
                    ("not_sure", "Not sure"),
                ],
                default="",
                editable=False,
                max_length=10,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="concernroute",
            name="source",
            field=models.CharField(
                choices=[
                    ("public", "Member of the public"),
                    ("professional", "Professional referral"),
                    ("api", "Agency system"),
                ],
                default="",
                editable=False,
                max_length=20,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="concernroute",
            name="immediate_danger",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="concernroute",
            name="has_signs",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(copies_fill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="concernroute",
            constraint=models.CheckConstraint(
                condition=models.Q(about__in=["child", "adult", "not_sure"]), name="route_about_copied"
            ),
        ),
        migrations.AddConstraint(
            model_name="concernroute",
            constraint=models.CheckConstraint(
                condition=models.Q(source__in=["public", "professional", "api"]), name="route_source_copied"
            ),
        ),
        migrations.AddIndex(
            model_name="concernroute",
            index=models.Index(fields=["team", "about", "concern"], name="route_team_about_idx"),
        ),
        migrations.AddIndex(
            model_name="concernroute",
            index=models.Index(fields=["team", "source", "concern"], name="route_team_source_idx"),
        ),
        migrations.AddIndex(
            model_name="concernroute",
            index=models.Index(
                condition=models.Q(immediate_danger=True),
                fields=["team", "concern"],
                name="route_team_danger_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="concernroute",
            index=models.Index(
                condition=models.Q(has_signs=True), fields=["team", "concern"], name="route_team_signs_idx"
            ),
        ),
    ]
