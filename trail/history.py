"""Reading the change history django-simple-history keeps, for any app's records.

Nothing here knows which models have a history: callers hand in the records, so
the trail stays beneath every app that writes to it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ItemChange:
    when: datetime
    who: str
    created: bool
    changes: list[tuple[str, object, object]]


def changes_of(*, item) -> list[ItemChange]:
    """Who changed what of one item and when, newest first, with each field's label."""
    records = list(item.history.select_related("history_user").order_by("history_date", "history_id"))
    changes = []
    for previous, record in zip([None, *records], records, strict=False):
        diff = [] if previous is None else record.diff_against(previous).changes
        changes.append(
            ItemChange(
                when=record.history_date,
                who=str(record.history_user) if record.history_user else "",
                created=record.history_type == "+",
                changes=[(item._meta.get_field(c.field).verbose_name, c.old, c.new) for c in diff],
            )
        )
    return changes[::-1]


@dataclass(frozen=True)
class TrailEntry:
    when: datetime
    who: str
    what: str
    changes: list[tuple[str, object, object]]


def history_entries(records: Iterable, describe: Callable[[object], str]) -> list[TrailEntry]:
    """Turn historical records into entries, each compared with the one before it of the same object."""
    entries = []
    previous_of = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        previous = previous_of.get(record.instance.pk)
        changes = []
        if previous is not None and record.history_type == "~":
            changes = [(c.field, c.old, c.new) for c in record.diff_against(previous).changes]
        verb = {"+": _("created"), "~": _("changed"), "-": _("deleted")}[record.history_type]
        entries.append(
            TrailEntry(
                when=record.history_date,
                who=str(record.history_user) if record.history_user else str(_("the system")),
                what=f"{describe(record)} {verb}",
                changes=changes,
            )
        )
        previous_of[record.instance.pk] = record
    return entries
