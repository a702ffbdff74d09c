"""Downloads: a table as a CSV or an XLSX file, under a name that keeps the header one safe line."""

import re
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from . import csv_safe, xlsx_safe
from .exports import Table, write_table
from .models import FileFormat

UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
DASHES = re.compile(r"-{2,}")


def safe_file_name(name: str) -> str:
    """Letters, digits, dots, dashes and underscores; anything else becomes a dash."""
    return DASHES.sub("-", UNSAFE.sub("-", name)).strip("-.") or "download"


def as_attachment(response, name: str):
    response["Content-Disposition"] = content_disposition_header(True, safe_file_name(name))
    return response


def content_type(file_format: str) -> str:
    return xlsx_safe.CONTENT_TYPE if file_format == FileFormat.XLSX else "text/csv; charset=utf-8"


def table_response(table: Table, *, file_format: str, name: str):
    """A CSV streamed to the browser line by line as it is read. An XLSX is a zip whose index
    comes last, so it is written to a temporary file first (row by row) and then sent."""
    if file_format == FileFormat.XLSX:
        # FileResponse closes the file once it is sent, which deletes it.
        spool = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            write_table(table, spool, file_format=file_format)
        except BaseException:
            spool.close()
            raise
        spool.seek(0)
        response = FileResponse(spool, content_type=content_type(file_format))
    else:
        response = StreamingHttpResponse(csv_safe.lines(table.lines()), content_type=content_type(file_format))
    return as_attachment(response, f"{name}.{file_format}")
