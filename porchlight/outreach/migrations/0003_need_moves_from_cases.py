# Needs move from `cases` to `outreach` (they are captured with the conversation). Only Django's picture of
# the models changes: the table keeps its name (cases_need) and not a row moves. cases 0005 drops the old
# model from the picture and points Referral.need here.

import django.db.models.deletion
from django.db import migrations, models


def content_type_to_outreach(apps, schema_editor):
    # Keep the content type (and the permissions hanging off it) rather than leave a stale one behind.
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="outreach", model="need").exists():
        ContentType.objects.filter(app_label="cases", model="need").update(app_label="outreach")


def content_type_to_cases(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="cases", model="need").exists():
        ContentType.objects.filter(app_label="outreach", model="need").update(app_label="cases")


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0004_referral_sent_at"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("outreach", "0002_field_outreach"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Need",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "category",
                            models.CharField(
                                choices=[
                                    ("housing", "Housing"),
                                    ("legal", "Legal / tenant"),
                                    ("employment", "Employment"),
                                    ("health", "Health coverage"),
                                    ("utilities", "Utilities"),
                                    ("food", "Food"),
                                    ("safety", "Safety"),
                                    ("other", "Other"),
                                ],
                                max_length=20,
                                verbose_name="need",
                            ),
                        ),
                        ("description", models.CharField(blank=True, max_length=500, verbose_name="details")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "conversation",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="needs",
                                to="outreach.conversation",
                            ),
                        ),
                        (
                            "resident",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="needs",
                                to="people.resident",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "cases_need",
                        "ordering": ["-created_at", "-id"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("conversation", "category"), name="need_unique_category_per_conversation"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_outreach, content_type_to_cases),
    ]
