"""Remove urgent: each removal of a concern's urgency, and why (docs/decisions/0030)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import safeguarding.core.crypto


class Migration(migrations.Migration):
    dependencies = [
        ("concerns", "0010_route_copies_of_concern_fields"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="UrgencyRemoval",
            fields=[
                (
                    "id",
                    models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                ),
                ("reason", safeguarding.core.crypto.EncryptedTextField()),
                ("removed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "concern",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="urgency_removals",
                        to="concerns.concern",
                    ),
                ),
                (
                    "removed_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["concern", "removed_at", "id"],
            },
        ),
    ]
