"""The default list of triage decisions (docs/decisions/0015). Administrators change them in the admin.

Retention periods are starting points for the partnership's information governance lead to confirm:
children's safeguarding records are kept longer than adults', and enquiries longer than advice.
"""

from django.db import migrations

# code, name, applies to, retention in years, closes the concern
DEFAULT_OPTIONS = [
    ("no_further_action", "No further action", "any", 6, True),
    ("advice_information", "Advice and information given", "any", 6, True),
    ("early_help", "Early help", "children", 15, False),
    ("assessment", "Assessment (children)", "children", 25, False),
    ("section_47", "Child protection enquiry (section 47)", "children", 25, False),
    ("section_42", "Section 42 enquiry (adults)", "adults", 15, False),
    ("police", "Referred to police", "any", 25, False),
    ("exploitation_meeting", "Referred to the exploitation meeting (MACE/MASE)", "any", 25, False),
]


def add_defaults(apps, schema_editor):
    DecisionOption = apps.get_model("concerns", "DecisionOption")
    for order, (code, name, applies_to, years, closes) in enumerate(DEFAULT_OPTIONS, start=1):
        DecisionOption.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "applies_to": applies_to,
                "retention_years": years,
                "closes_concern": closes,
                "order": order * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("concerns", "0005_triage_and_retention")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
