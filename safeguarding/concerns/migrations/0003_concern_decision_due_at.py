"""Statutory clocks (docs/decisions/0014): when each concern's decision is due, and the triage index."""

from django.db import migrations, models


def set_existing_deadlines(apps, schema_editor):
    # The rules as they are today (clocks.py); concerns received later get the rules then in force.
    from safeguarding.concerns.clocks import clock_deadline

    Concern = apps.get_model("concerns", "Concern")
    pending = Concern.objects.filter(decision_due_at__isnull=True).only("id", "received_at", "about")
    for concern in pending.iterator(chunk_size=2000):
        due = clock_deadline(received_at=concern.received_at, about=concern.about)
        Concern.objects.filter(pk=concern.pk).update(decision_due_at=due)


class Migration(migrations.Migration):
    dependencies = [("concerns", "0002_default_teams_and_rules")]

    operations = [
        migrations.AddField(
            model_name="concern",
            name="decision_due_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(set_existing_deadlines, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="concern",
            index=models.Index(
                condition=models.Q(("status", "closed"), _negated=True),
                fields=["urgent", "decision_due_at", "id"],
                name="concern_triage_idx",
            ),
        ),
    ]
