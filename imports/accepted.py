"""The values a choice column accepts, from where `columns.Column.values_from` says they come.

A value is read by its code, or by its label in English or in French, whatever case or accents a
spreadsheet kept; the template lists each code with its label in the reader's language.
"""

import unicodedata
from collections.abc import Callable
from functools import lru_cache

from django.apps import apps
from django.utils import translation

from recovery.models import SERIOUSNESS, TreatmentGiven
from recovery.rules import Severity

from .columns import Column

Accepted = list[tuple[str, str]]


def _catalogue(model_name: str) -> Callable:
    def read(clinic) -> Accepted:
        model = apps.get_model("recovery", model_name)
        entries = model.objects.filter(clinic=clinic).order_by("position", "pk")
        return [(entry.code, entry.staff_label, entry.staff_label_fr) for entry in entries]

    return read


def _severity(clinic) -> Accepted:
    return [(member.name.lower(), member.label) for member in Severity]


def _seriousness(clinic) -> Accepted:
    return list(SERIOUSNESS.items())


def _treatment_given(clinic) -> Accepted:
    return list(TreatmentGiven.choices)


_SPECIAL: dict[str, Callable] = {
    "catalogue.reactions": _catalogue("ReactionType"),
    "catalogue.red_flags": _catalogue("RedFlagQuestion"),
    "recovery.Severity": _severity,
    "recovery.SERIOUSNESS": _seriousness,
    "recovery.TreatmentGiven": _treatment_given,
}


def _entries(column: Column, clinic) -> list[tuple]:
    """(code, label, and a French label where the catalogue writes its own) for each accepted value."""
    special = _SPECIAL.get(column.values_from)
    if special is not None:
        return special(clinic)
    app_label, model_name, field_name = column.values_from.split(".")
    field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
    return [(str(code), label) for code, label in field.choices]


def accepted_values(column: Column, clinic) -> Accepted:
    """Each accepted code with its label in the active language."""
    labelled = []
    for code, label, *french in _entries(column, clinic):
        if french and french[0] and translation.get_language().startswith("fr"):
            label = french[0]
        labelled.append((code, str(label)))
    return labelled


@lru_cache(maxsize=4096)
def folded(text: str) -> str:
    """A value as compared: no case, no accents, spaces and dashes alike."""
    decomposed = unicodedata.normalize("NFKD", str(text).strip().lower())
    bare = "".join(character for character in decomposed if not unicodedata.combining(character))
    return " ".join(bare.replace("_", " ").replace("-", " ").split())


def lookup(column: Column, clinic) -> dict[str, str]:
    """{a value as a file may write it, folded: its code}, for codes and labels in English and French."""
    found: dict[str, str] = {}
    entries = _entries(column, clinic)
    for language in ("en-gb", "fr"):
        with translation.override(language):
            for code, label, *french in entries:
                found.setdefault(folded(str(label)), code)
                if french and french[0]:
                    found.setdefault(folded(french[0]), code)
    # A code is itself, whatever a label of another value reads.
    for code, *_labels in entries:
        found[folded(code)] = code
    if column.values_from == "recovery.Severity":
        # Severity is stored, and often exported, as its number on the scale.
        found.update({str(member.value): member.name.lower() for member in Severity})
    return found
