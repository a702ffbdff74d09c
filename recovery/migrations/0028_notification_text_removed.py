from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("recovery", "0027_french_defaults_and_stored_codes")]

    operations = [migrations.RemoveField(model_name="notification", name="text")]
