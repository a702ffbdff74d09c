from django.core.management.base import BaseCommand
from tqdm import tqdm

from recovery.models import Recovery
from recovery.services import recovery_assess


class Command(BaseCommand):
    help = (
        "Apply the current recovery rules to every stored recovery. Run after each upgrade, "
        "with migrate: a release that changes a rule changes the moments the dashboard compares with the clock."
    )

    def handle(self, *args, **options):
        recoveries = Recovery.objects.order_by("pk").values_list("pk", flat=True)
        total = recoveries.count()
        for pk in tqdm(recoveries.iterator(chunk_size=2000), total=total, desc="Recoveries", file=self.stdout):
            recovery_assess(recovery=Recovery(pk=pk))
        self.stdout.write(f"{total} recoveries assessed with the current rules.")
