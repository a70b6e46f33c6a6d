# The audit trail moved to the core app (every app writes it): only Django's state changes here;
# the table cycles_auditentry stays as it is, with every entry (core.0001 takes it over).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cycles", "0007_evidence_sha256"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEntry")],
            database_operations=[],
        ),
    ]
