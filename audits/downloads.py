"""Downloads: a table as a CSV file, under a name that keeps the header one safe line."""

import re

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header

from . import csv_safe
from .exports import Table

UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
DASHES = re.compile(r"-{2,}")


def safe_file_name(name: str) -> str:
    """Letters, digits, dots, dashes and underscores; anything else becomes a dash."""
    return DASHES.sub("-", UNSAFE.sub("-", name)).strip("-.") or "download"


def as_attachment(response, name: str):
    response["Content-Disposition"] = content_disposition_header(True, safe_file_name(name))
    return response


def table_response(table: Table, *, name: str):
    """The table streamed to the browser line by line as it is read."""
    response = StreamingHttpResponse(csv_safe.lines(table.lines()), content_type="text/csv; charset=utf-8")
    return as_attachment(response, f"{name}.csv")
