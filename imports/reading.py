"""A file brought to the import, as its header and its lines, each with its line number in the file.

Tablib (the reader django-import-export is built on) reads the workbooks. django-import-export itself
is not used: its Resource imports one row at a time, each checked and saved alone, and our checks span
rows and kinds (a session's lines grouped into one session, products and lots named across files,
same-person questions against the stored patients), write set-based once the whole plan is known, and
read another system's export through a mapping kept for its next file. So the import reads with tablib
and checks and writes on its own.

A CSV file is read as spreadsheets write it: UTF-8 with or without its byte-order mark, UTF-16 with its
mark (Excel's "Unicode text"), else Windows-1252 (Latin-1 with curly quotes and the euro sign); its
separator is a comma, a semicolon (Excel in France and most of Europe) or a tab, whichever the header
line holds most of. A cell the export wrote with an apostrophe before a formula character (`'+33…`,
audits.csv_safe) is read without it, so a clinic's export reads back as it was. XLSX cells keep their
type: a date cell is a datetime, a date typed in a cell formatted as a number is the day count Excel
stores, and the checks read both.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

import tablib
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from audits.csv_safe import FORMULA_STARTS, SEPARATORS

TOO_LARGE = "file_too_large"
TOO_MANY_LINES = "file_too_many_lines"
NOT_A_SPREADSHEET = "file_not_a_spreadsheet"
UNREADABLE_WORKBOOK = "file_unreadable_workbook"
NO_HEADER = "file_no_header"
TWO_COLUMNS_NAMED = "file_two_columns_named"
LINE_LONGER_THAN_HEADER = "file_line_longer_than_header"

MESSAGES = {
    TOO_LARGE: _("This file is larger than %(megabytes)s MB: split it into several files of one kind each."),
    TOO_MANY_LINES: _("This file has more than %(count)s lines: split it into several files."),
    NOT_A_SPREADSHEET: _(
        "This file is neither a CSV file nor an Excel workbook (.xlsx): save it from your spreadsheet as one of them."
    ),
    UNREADABLE_WORKBOOK: _("This workbook cannot be read: open it in your spreadsheet and save it again as .xlsx."),
    NO_HEADER: _("This file has no header line: its first line must name its columns."),
    TWO_COLUMNS_NAMED: _("Two columns of this file are both named “%(header)s”: rename one of them."),
    LINE_LONGER_THAN_HEADER: _("Line %(line)s has more cells than the header line names: check its separators."),
}

DELIMITERS = (",", ";", "\t")
XLSX_SIGNATURE = b"PK\x03\x04"
CSV_ENDINGS = (".csv", ".txt", ".tsv")
UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")

# The inverse of audits.csv_safe.neutralised: the apostrophe it puts before a formula character at the
# start of a cell, or of a piece a separator starts, past the spaces and quotes a tool may trim.
_NEUTRALISED_PIECE = re.compile(
    rf"(?:^|(?<=[{re.escape(''.join(SEPARATORS))}]))([ \"]*)'(?=[{re.escape(''.join(FORMULA_STARTS))}])"
)


class FileRefused(Exception):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message(self) -> str:
        return MESSAGES[self.code] % self.params


@dataclass
class Table:
    headers: list[str]
    # (line number in the file, {header: value}); a CSV value is text, an XLSX value keeps its cell's type.
    lines: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def text_restored(value: str) -> str:
    return _NEUTRALISED_PIECE.sub(r"\1", value) if "'" in value else value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return text_restored(value.strip())
    return value


def table_read(content: bytes, name: str) -> Table:
    """The file's header and lines, or FileRefused with what to do about it."""
    if len(content) > settings.IMPORT_MAX_BYTES:
        raise FileRefused(TOO_LARGE, megabytes=settings.IMPORT_MAX_BYTES // (1024 * 1024))
    if content.startswith(XLSX_SIGNATURE):
        return _workbook_read(content)
    if name.lower().endswith(CSV_ENDINGS) or not name.lower().endswith((".xlsx", ".xls", ".ods")):
        text = _decoded(content)
        if text is not None:
            return _csv_read(text)
    raise FileRefused(NOT_A_SPREADSHEET)


def _decoded(content: bytes) -> str | None:
    if content.startswith(UTF16_MARKS):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    if b"\x00" in content:
        # A text file holds no NUL byte; a binary file (a PDF, an old .xls) nearly always does.
        return None
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        # Five bytes are unassigned in Windows-1252; Latin-1 reads every byte.
        return content.decode("latin-1")


def _delimiter(header_line: str) -> str:
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _headers(cells: list) -> list[str]:
    headers = [str(_cell(cell)) for cell in cells]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise FileRefused(NO_HEADER)
    seen = set()
    for header in headers:
        if header and header in seen:
            raise FileRefused(TWO_COLUMNS_NAMED, header=header)
        seen.add(header)
    return headers


def _line(headers: list[str], cells: list, line: int) -> dict[str, Any] | None:
    values = [_cell(cell) for cell in cells]
    if len(values) > len(headers) and any(value != "" for value in values[len(headers) :]):
        raise FileRefused(LINE_LONGER_THAN_HEADER, line=line)
    if all(value == "" for value in values):
        return None
    return {header: value for header, value in zip(headers, values, strict=False) if header}


def _bounded(table: Table) -> Table:
    if len(table.lines) > settings.IMPORT_MAX_ROWS:
        raise FileRefused(TOO_MANY_LINES, count=settings.IMPORT_MAX_ROWS)
    return table


def _csv_read(text: str) -> Table:
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        header_cells = next(reader)
    except StopIteration:
        raise FileRefused(NO_HEADER) from None
    except csv.Error:
        raise FileRefused(NOT_A_SPREADSHEET) from None
    table = Table(headers=_headers(header_cells))
    # A quoted cell may hold line breaks: a record starts on the line after the one the last ended on.
    line_ended = reader.line_num
    try:
        for cells in reader:
            starts_on = line_ended + 1
            line = _line(table.headers, cells, starts_on)
            line_ended = reader.line_num
            if line is not None:
                table.lines.append((starts_on, line))
            if len(table.lines) > settings.IMPORT_MAX_ROWS:
                break
    except csv.Error:
        raise FileRefused(NOT_A_SPREADSHEET) from None
    return _bounded(table)


def _workbook_read(content: bytes) -> Table:
    dataset = tablib.Dataset()
    try:
        dataset.load(io.BytesIO(content), format="xlsx", headers=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, tablib.InvalidDimensions):
        raise FileRefused(UNREADABLE_WORKBOOK) from None
    if not dataset.height:
        raise FileRefused(NO_HEADER)
    table = Table(headers=_headers(list(dataset[0])))
    for index in range(1, dataset.height):
        line = _line(table.headers, list(dataset[index]), index + 1)
        if line is not None:
            table.lines.append((index + 1, line))
        if len(table.lines) > settings.IMPORT_MAX_ROWS:
            break
    return _bounded(table)
