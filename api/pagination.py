"""Cursor pagination on the whole of a list's order, for lists another system walks to the end.

DRF's CursorPagination places its cursor on the first ordering field and counts an offset among rows
that share its value, up to a cap: a list ordered first by status (every recovery needing attention,
then every overdue one...) would page by offset, and past the cap lose rows. Here the cursor holds the
last row's value of every ordering field (the last being unique), and the next page is the rows after
that one in the same order, a keyset: however long the list, nothing is skipped or repeated.

The cursor also holds the moment the first page was read: a recovery's status, and so its place in the
list, moves with time alone, so every page of one walk is read as of that moment (`as_of`).

Ordering fields are codes, moments and ids, never a name: cursors travel in URLs, which servers log.
"""

import base64
import binascii
import json
import operator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import reduce
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

INVALID_CURSOR = _("This cursor is not one the API gave: start again from the first page, without a cursor.")


@dataclass(frozen=True)
class Cursor:
    after: list
    at: datetime


def _plain(value):
    """An ordering value as JSON holds it; the database reads it back through the field."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    return value


def _after(ordering: tuple[str, ...], values: list) -> Q:
    """The rows that come after the row with these values: (a, b, c) > (x, y, z), spelt out field by field."""
    conditions, same_so_far = [], Q()
    for field, value in zip(ordering, values, strict=True):
        name = field.removeprefix("-")
        conditions.append(same_so_far & Q(**{f"{name}__{'lt' if field.startswith('-') else 'gt'}": value}))
        same_so_far &= Q(**{name: value})
    return reduce(operator.or_, conditions)


class KeysetPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    # A view's `ordering`: its fields, "-" for descending, the last one unique.
    ordering = None

    def get_ordering(self, request, queryset, view) -> tuple[str, ...]:
        return tuple(view.ordering)

    def cursor_of(self, request) -> Cursor | None:
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(encoded.encode("ascii")))
            after, at = data["after"], datetime.fromisoformat(data["at"])
            if not isinstance(after, list) or at.tzinfo is None:
                raise ValueError
        except (ValueError, KeyError, TypeError, UnicodeError, binascii.Error) as error:
            raise ValidationError({self.cursor_query_param: [INVALID_CURSOR]}) from error
        return Cursor(after=after, at=at)

    def moment(self, request) -> datetime:
        """As of when the list is read: the first page's moment, for every page of one walk."""
        cursor = self.cursor_of(request)
        return cursor.at if cursor else timezone.now()

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        self.ordering = self.get_ordering(request, queryset, view)
        cursor = self.cursor_of(request)
        self.at = cursor.at if cursor else timezone.now()
        queryset = queryset.order_by(*self.ordering)
        try:
            if cursor is not None:
                queryset = queryset.filter(_after(self.ordering, cursor.after))
            rows = list(queryset[: self.page_size + 1])
        except (ValueError, TypeError, DjangoValidationError) as error:
            raise ValidationError({self.cursor_query_param: [INVALID_CURSOR]}) from error
        self.page = rows[: self.page_size]
        self.has_next = len(rows) > self.page_size
        self.has_previous = False
        return self.page

    def get_next_link(self) -> str | None:
        if not self.has_next:
            return None
        last = self.page[-1]
        after = [_plain(getattr(last, field.removeprefix("-"))) for field in self.ordering]
        payload = json.dumps({"after": after, "at": self.at.isoformat()}, separators=(",", ":"))
        encoded = base64.urlsafe_b64encode(payload.encode()).decode("ascii")
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)

    def get_previous_link(self) -> None:
        # A walk goes forward; its first page is the list without a cursor.
        return None

    def get_paginated_response(self, data) -> Response:
        return Response({"next": self.get_next_link(), "as_of": self.at, "results": data})

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["next", "as_of", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page, or null after the last.",
                },
                "as_of": {
                    "type": "string",
                    "format": "date-time",
                    "description": "The moment every page of this walk is read as of.",
                },
                "results": schema,
            },
        }
