from django.core.management.base import BaseCommand
from tqdm import tqdm

from recovery.models import Recovery
from recovery.reassessment import reassess_all, rules_changed


class Command(BaseCommand):
    help = (
        "Apply the current recovery rules to every stored recovery if this release changed them. Run after "
        "each upgrade, with migrate: a release that changes a rule changes the moments the dashboard compares "
        "with the clock."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", dest="everything", action="store_true", help="Reassess even if the rules have not changed."
        )

    def handle(self, *args, everything, **options):
        if not everything and not rules_changed():
            self.stdout.write("The recovery rules have not changed since they were last applied: nothing to do.")
            return
        with tqdm(total=Recovery.objects.count(), desc="Recoveries", file=self.stdout) as bar:
            done = reassess_all(progress=bar.update)
        self.stdout.write(f"{done} recoveries assessed with the current rules.")
