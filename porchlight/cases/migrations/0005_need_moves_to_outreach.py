# Needs move to `outreach` (see outreach 0003): Referral.need points at outreach.Need, which is the same
# table (cases_need), and cases stops claiming the model. No SQL runs.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0004_referral_sent_at"),
        ("outreach", "0003_need_moves_from_cases"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="referral",
                    name="need",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="referrals",
                        to="outreach.need",
                    ),
                ),
                migrations.DeleteModel(name="Need"),
            ],
            database_operations=[],
        ),
    ]
