# The audit trail, moved here from the cycles app: the model is new to Django's state, its table
# (cycles_auditentry, made by cycles.0001) is not, so nothing is created or copied.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("cycles", "0008_audit_trail_to_core"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("at", models.DateTimeField(auto_now_add=True)),
                        ("object_type", models.CharField(max_length=32)),
                        ("object_id", models.CharField(max_length=64)),
                        ("field", models.CharField(max_length=64)),
                        ("old", models.TextField(blank=True)),
                        ("new", models.TextField(blank=True)),
                        ("reason", models.TextField(blank=True)),
                        (
                            "actor",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "cycle",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                to="cycles.cycle",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "cycles_auditentry",
                        "ordering": ["at", "id"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
