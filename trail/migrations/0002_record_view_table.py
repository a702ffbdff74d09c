# Now that `audits` no longer claims it, the table takes the trail's name: a rename,
# every row kept.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("trail", "0001_initial"),
        ("audits", "0003_record_view_moves_to_trail"),
    ]

    operations = [migrations.AlterModelTable(name="recordview", table=None)]
