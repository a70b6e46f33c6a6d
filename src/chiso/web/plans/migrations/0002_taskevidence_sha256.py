# Task files get their SHA-256, as the sheets' evidence did in cycles/0007, so that the backup's
# verification can tell a changed or lost file. Files uploaded before keep their hash computed
# here from the file as it is now.

import hashlib
from pathlib import Path

from django.conf import settings
from django.db import migrations, models


def hash_existing(apps, schema_editor):
    TaskEvidence = apps.get_model("plans", "TaskEvidence")
    root = Path(settings.EVIDENCE_ROOT) / "plans"
    for evidence in TaskEvidence.objects.filter(sha256=""):
        path = root / evidence.stored_name
        if path.is_file():
            digest = hashlib.sha256()
            with open(path, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
            TaskEvidence.objects.filter(pk=evidence.pk).update(sha256=digest.hexdigest())


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="taskevidence",
            name="sha256",
            field=models.CharField(
                blank=True, help_text="of the file, for chiso verify", max_length=64
            ),
        ),
        migrations.RunPython(hash_existing, migrations.RunPython.noop),
    ]
