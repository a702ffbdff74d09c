"""What the FHIR API reads: each resource type's rows in the readable clinics, with everything its
resource reads in a fixed number of queries, and one page of a search.

Pages are keyset pages: ordered by the resource's own time and id, each page starts just after the
last row of the one before. A page costs the same at the thousandth page as at the first (an offset
makes the database step over every row before it), and a row added or removed while a client walks
the pages never shifts the others by one, as it would with an offset (a row repeated or skipped).
"""

import operator
from dataclasses import dataclass
from functools import reduce

from django.db.models import Q, QuerySet

from clinics.models import Clinic
from patients.models import Patient
from recovery.models import Complication
from treatments.models import Batch, TreatmentSession
from vigilance.fhir import check_in_answers
from vigilance.fhir_parts import local_system, procedure_reads

from .search import (
    DateBound,
    Search,
    Searchable,
    as_uuid,
    cursor_text,
    identifier_value,
    page_link_invalid,
    referenced_id,
)


def patients_in(clinic_ids) -> QuerySet:
    return Patient.objects.filter(clinic_id__in=clinic_ids)


def sessions_in(clinic_ids) -> QuerySet:
    return (
        TreatmentSession.objects.filter(clinic_id__in=clinic_ids)
        .select_related("clinic")
        .prefetch_related(*procedure_reads())
    )


def answers_in(clinic_ids) -> QuerySet:
    return check_in_answers().filter(session__clinic_id__in=clinic_ids).select_related("session__clinic")


def conditions_in(clinic_ids) -> QuerySet:
    """Complications, for the Condition each left: its dates and its patient, nothing of the session."""
    return Complication.objects.filter(recovery__clinic_id__in=clinic_ids).select_related("recovery__session__clinic")


def lots_in(clinic_ids) -> QuerySet:
    return Batch.objects.filter(product__clinic_id__in=clinic_ids).select_related("product")


@dataclass
class Page:
    rows: list
    total: int
    next_cursor: str | None


def _keys(values, key) -> list:
    return [found for found in map(key, values) if found is not None]


def _within(lookup: str, bound: DateBound, zone) -> Q:
    start, end = bound.span(zone)
    return {
        "eq": Q(**{f"{lookup}__gte": start, f"{lookup}__lt": end}),
        "ge": Q(**{f"{lookup}__gte": start}),
        "gt": Q(**{f"{lookup}__gte": end}),
        "le": Q(**{f"{lookup}__lt": end}),
        "lt": Q(**{f"{lookup}__lt": start}),
    }[bound.prefix]


def _on_clinic_clocks(clinic_lookup: str, lookup: str, bounds: list[DateBound], zones: dict) -> Q:
    """A date without an offset falls on each clinic's own clock: one clause per clinic."""
    return reduce(
        operator.or_,
        (
            Q(**{clinic_lookup: clinic_id}) & reduce(operator.or_, (_within(lookup, bound, zone) for bound in bounds))
            for clinic_id, zone in zones.items()
        ),
    )


def _criteria(searchable: Searchable, search: Search, clinic_ids, key) -> Q:
    zones = None
    where = Q()
    for name, alternatives in search.values:
        parameter = searchable.parameters[name]
        if parameter.type == "date":
            if zones is None:
                zones = {clinic.pk: clinic.zone for clinic in Clinic.objects.filter(pk__in=clinic_ids)}
            where &= _on_clinic_clocks(searchable.clinic, parameter.lookup, alternatives, zones)
        elif parameter.type == "reference":
            patients = _keys((referenced_id(text, "Patient") for text in alternatives), as_uuid)
            where &= Q(**{f"{parameter.lookup}__in": patients})
        else:
            # The patient's local identifier is its id, in this deployment's namespace.
            if name == "identifier":
                alternatives = [identifier_value(text, local_system("patient")) for text in alternatives]
            where &= Q(**{f"{parameter.lookup}__in": _keys(alternatives, key)})
    return where


def search_page(searchable: Searchable, rows: QuerySet, search: Search, *, clinic_ids, key) -> Page:
    """The rows that match, `search.count` of them from the search's cursor, how many match in all,
    and where the next page starts if there is one. `key` reads a text as one of the rows' ids (None
    when it cannot be one)."""
    matching = rows.filter(_criteria(searchable, search, clinic_ids, key))
    total = matching.count()
    if search.count == 0:
        return Page(rows=[], total=total, next_cursor=None)
    ordered = matching.order_by(searchable.time, "pk")
    if search.cursor is not None:
        moment, last_text = search.cursor
        last_key = key(last_text)
        if last_key is None:
            raise page_link_invalid()
        after = Q(**{f"{searchable.time}__gt": moment}) | Q(**{searchable.time: moment, "pk__gt": last_key})
        ordered = ordered.filter(after)
    page = list(ordered[: search.count + 1])
    if len(page) <= search.count:
        return Page(rows=page, total=total, next_cursor=None)
    page = page[: search.count]
    last = page[-1]
    return Page(rows=page, total=total, next_cursor=cursor_text(getattr(last, searchable.time), last.pk))
