"""Keeping stored moments in step with the rules of the running release.

The stored moments (attention_at, overdue_at...) are what the rules computed when each report
came in. A release that changes a rule must recompute them all; a release that does not must not
spend an hour at a clinic group's scale proving that nothing moved.
"""

import hashlib
import inspect
from collections.abc import Callable

from django.db import transaction

from treatments import chart

from . import assessment, findings, rules, silence, where, windows
from .models import Recovery, RulesApplied

CHUNK = 2000


def rules_fingerprint() -> str:
    """The rules' own source, their windows and findings included, and the chart's zones they judge
    marks by: any change to it, even a comment, reassesses, erring on the safe side."""
    source = "".join(inspect.getsource(module) for module in (rules, windows, findings, silence, where, chart))
    return hashlib.sha256(source.encode()).hexdigest()


def rules_changed() -> bool:
    return not RulesApplied.objects.filter(fingerprint=rules_fingerprint()).exists()


def reassess_all(*, progress: Callable[[int], None] = lambda _done: None) -> int:
    """Apply the current rules to every stored recovery, then remember that they were applied.

    Each chunk commits on its own; the fingerprint is written last, so a run stopped half-way
    starts again from the beginning next time rather than leaving recoveries behind.
    """
    fingerprint = rules_fingerprint()
    done = 0
    last_pk = None
    while True:
        chunk = Recovery.objects.order_by("pk").values_list("pk", flat=True)
        if last_pk is not None:
            chunk = chunk.filter(pk__gt=last_pk)
        pks = list(chunk[:CHUNK])
        if not pks:
            break
        with transaction.atomic():
            assessment.recoveries_assess(pks=pks)
        done += len(pks)
        last_pk = pks[-1]
        progress(len(pks))
    RulesApplied.objects.get_or_create(fingerprint=fingerprint)
    return done
