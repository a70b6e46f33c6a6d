from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cycles', '0012_cycle_revision'),
    ]

    operations = [
        migrations.AddField(
            model_name='cycle',
            name='page_revision',
            field=models.PositiveIntegerField(default=0, help_text="moved on with the revision by every change the cycle's page shows before its results: all but a sheet's values, files, threads and explanations (chiso.web.cycles.pages)"),
        ),
    ]
