"""Load the demo once: its clinics, staff, catalogue, patients and the stories of their sessions.

The demo itself is in the demo app: `demo.cast`, `demo.stories` and `demo.seeding`.
"""

from django.core.management.base import BaseCommand

from demo.safety import refuse_where_texts_are_sent
from demo.seeding import demo_load, demo_loaded


class Command(BaseCommand):
    help = "Load demo clinics, staff, products, batches, patients and three weeks of sessions (once)."

    def handle(self, *args, **options):
        refuse_where_texts_are_sent()
        if demo_loaded():
            self.stdout.write("Demo data already loaded; nothing to do.")
            return
        demo_load(progress_stream=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
