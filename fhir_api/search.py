"""A FHIR search's parameters read from the query string: which criteria, how many rows a page, where
the page starts. Pure: no model, no request; a value that cannot be read raises `SearchError`, which
the API answers with 400 and an OperationOutcome.

Each occurrence of a parameter narrows the search (`date=ge2026-01-01&date=le2026-02-01`); the values
of one occurrence, separated by commas, are alternatives, as FHIR defines them.
"""

import base64
import binascii
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext as _

DEFAULT_COUNT = 50
MAX_COUNT = 200
# Read by the view, never a criterion: how many, which page, and in which format.
COUNT, CURSOR, FORMAT = "_count", "_cursor", "_format"

# FHIR's date search: a year, a month, a day, or a moment to the minute, second or fraction, with or
# without its offset. A "+" left unescaped in a query string arrives as a space, so a space stands for it.
DATE = re.compile(
    r"^(?P<prefix>[a-z]{2})?(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?P<fraction>\.\d{1,6})?)?"
    r"(?P<offset>Z|[+\- ]\d{2}:\d{2})?)?)?)?$"
)
SUPPORTED_PREFIXES = ("eq", "ge", "le", "gt", "lt")


class SearchError(Exception):
    """A search the API cannot run as asked; the message says what to change."""


@dataclass(frozen=True)
class DateBound:
    """A date criterion: the prefix, and the span of time its value names, [start, end). A value
    given without an offset is naive here and falls on each clinic's own clock (`span`)."""

    prefix: str
    start: datetime
    end: datetime

    def span(self, zone) -> tuple[datetime, datetime]:
        if self.start.tzinfo is not None:
            return self.start, self.end
        return self.start.replace(tzinfo=zone), self.end.replace(tzinfo=zone)


@dataclass(frozen=True)
class Parameter:
    """A search parameter a resource type takes: its FHIR type ("token", "reference" to a Patient, or
    "date"), the lookup it filters on, and what it means, for the CapabilityStatement."""

    type: str
    lookup: str
    documentation: str


@dataclass(frozen=True)
class Searchable:
    """How a resource type is searched: its parameters, the lookup of its clinic (a day is a day on
    the clinic's clock) and the field of its own time (the pages' order)."""

    parameters: dict[str, Parameter]
    clinic: str
    time: str


@dataclass
class Search:
    """`criteria` keeps each occurrence as given, for the bundle's links; `values` holds what each
    means, parsed (strings for tokens and references, `DateBound`s for dates)."""

    criteria: list[tuple[str, str]] = field(default_factory=list)
    values: list[tuple[str, list]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    count: int = DEFAULT_COUNT
    cursor: tuple[datetime, str] | None = None


def _next_month(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1)


def date_bound(text: str) -> DateBound:
    match = DATE.match(text)
    if not match:
        raise SearchError(
            _("“%(value)s” is not a date. Write it as 2026-03-02, 2026-03 or 2026, after ge, le, gt, lt or eq.")
            % {"value": text}
        )
    parts = match.groupdict()
    prefix = parts["prefix"] or "eq"
    if prefix not in SUPPORTED_PREFIXES:
        raise SearchError(
            _("The date prefix “%(prefix)s” is not supported: use eq, ge, le, gt or lt.") % {"prefix": prefix}
        )
    year, month, day = int(parts["year"]), int(parts["month"] or 1), int(parts["day"] or 1)
    try:
        first = date(year, month, day)
        if parts["hour"] is None:
            start = datetime.combine(first, time())
            if parts["month"] is None:
                end = datetime.combine(date(year + 1, 1, 1), time())
            elif parts["day"] is None:
                end = datetime.combine(_next_month(year, month), time())
            else:
                end = start + timedelta(days=1)
            return DateBound(prefix, start, end)
        start = datetime.combine(first, time(int(parts["hour"]), int(parts["minute"]), int(parts["second"] or 0)))
    except ValueError:
        raise SearchError(_("“%(value)s” is not a day of the calendar.") % {"value": text}) from None
    if parts["fraction"]:
        start += timedelta(microseconds=int(parts["fraction"][1:].ljust(6, "0")))
        step = timedelta(microseconds=1)
    else:
        step = timedelta(seconds=1) if parts["second"] else timedelta(minutes=1)
    if parts["offset"]:
        offset = parts["offset"].replace(" ", "+").replace("Z", "+00:00")
        start = datetime.fromisoformat(f"{start.isoformat()}{offset}")
    return DateBound(prefix, start, start + step)


def count_of(text: str) -> int:
    """How many rows a page holds: as asked, up to MAX_COUNT (FHIR lets a server send fewer)."""
    if not text.isdigit():
        raise SearchError(_("_count is a number of rows, 0 or more, such as _count=50."))
    return min(int(text), MAX_COUNT)


def referenced_id(text: str, resource_type: str) -> str:
    """The id in a reference given as `<id>`, `<type>/<id>` or an absolute URL ending so."""
    kind, _slash, last = text.rstrip("/").rpartition("/")
    if kind and kind.rpartition("/")[2] != resource_type:
        return ""
    return last


def identifier_value(text: str, system: str) -> str:
    """The value of `[system|]value`; none when another system is named (it matches nothing here)."""
    named, bar, value = text.rpartition("|")
    if bar and named != system:
        return ""
    return value


def as_uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def as_number(text: str) -> int | None:
    # Eighteen digits at most: what a bigint column holds, whatever a client sends.
    return int(text) if text.isdigit() and len(text) < 19 else None


def cursor_text(moment: datetime, key) -> str:
    """Where the next page starts, opaque to clients: just after the row at (moment, key)."""
    return base64.urlsafe_b64encode(f"{moment.isoformat()}|{key}".encode()).decode().rstrip("=")


def page_link_invalid() -> SearchError:
    return SearchError(_("This page link is not valid: run the search again from its first page."))


def cursor_of(text: str) -> tuple[datetime, str]:
    try:
        moment, bar, key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode().partition("|")
        start = datetime.fromisoformat(moment)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise page_link_invalid() from None
    if not bar or start.tzinfo is None:
        raise page_link_invalid()
    return start, key


def search_of(query: list[tuple[str, str]], parameters: dict[str, Parameter], *, lenient: bool) -> Search:
    """The search in `query` (name and value pairs, in the order given). A parameter this type does
    not take is refused, unless the client asked for lenient handling (`Prefer: handling=lenient`):
    then it is ignored, and named in the answer."""
    search = Search()
    for name, value in query:
        if name == COUNT:
            search.count = count_of(value)
        elif name == CURSOR:
            search.cursor = cursor_of(value)
        elif name == FORMAT:
            continue
        elif name in parameters:
            alternatives = [part.strip() for part in value.split(",")]
            if not all(alternatives):
                raise SearchError(_("Give %(name)s a value.") % {"name": name})
            if parameters[name].type == "date":
                alternatives = [date_bound(part) for part in alternatives]
            search.criteria.append((name, value))
            search.values.append((name, alternatives))
        elif lenient:
            search.ignored.append(name)
        else:
            raise SearchError(
                _("This resource type is not searched by “%(name)s”. It is searched by: %(known)s.")
                % {"name": name, "known": ", ".join([*parameters, COUNT])}
            )
    return search
