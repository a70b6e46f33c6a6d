# Evidence files get their SHA-256, so that `chiso verify` can tell a changed or lost file.
# Files uploaded before keep their hash computed here from the file as it is now.

import hashlib
from pathlib import Path

from django.conf import settings
from django.db import migrations, models


def hash_existing(apps, schema_editor):
    Evidence = apps.get_model("cycles", "Evidence")
    root = Path(settings.EVIDENCE_ROOT)
    for evidence in Evidence.objects.filter(sha256=""):
        path = root / evidence.stored_name
        if path.is_file():
            digest = hashlib.sha256()
            with open(path, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
            Evidence.objects.filter(pk=evidence.pk).update(sha256=digest.hexdigest())


class Migration(migrations.Migration):
    dependencies = [
        ("cycles", "0006_framework_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="evidence",
            name="sha256",
            field=models.CharField(
                blank=True, help_text="of the file, for chiso verify", max_length=64
            ),
        ),
        migrations.RunPython(hash_existing, migrations.RunPython.noop),
    ]
