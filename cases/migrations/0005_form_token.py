# One-time tokens of create forms (cases/once.py; issue 13, finding 8).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_person_adult_from"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="FormToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=43, unique=True, verbose_name="key")),
                ("url", models.CharField(blank=True, max_length=300, verbose_name="link")),
                ("spent_at", models.DateTimeField(auto_now_add=True, verbose_name="spent")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "form token",
                "verbose_name_plural": "form tokens",
                "indexes": [models.Index(fields=["user", "spent_at"], name="formtoken_user_spent")],
            },
        ),
    ]
