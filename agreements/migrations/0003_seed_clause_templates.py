"""Seed the clause templates from agreements/clause_templates.py (the texts as shipped)."""

from django.db import migrations


def seed(apps, schema_editor):
    from agreements.clause_templates import CLAUSES

    ClauseTemplate = apps.get_model("agreements", "ClauseTemplate")
    for language, clauses in CLAUSES.items():
        for order, (key, title, body) in enumerate(clauses, start=1):
            ClauseTemplate.objects.update_or_create(
                language=language, key=key,
                defaults={"order": order, "title": title, "body": body},
            )


class Migration(migrations.Migration):
    dependencies = [("agreements", "0002_clause_templates")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
