"""The one CSV writer the app uses: no piece of a cell can be read as a formula by a spreadsheet.

A cell starting with =, +, -, @, a tab or a carriage return is run by Excel, LibreOffice
and Sheets as a formula (CSV injection: a patient named `=HYPERLINK(...)`). Checking the
start of the cell is not enough: Excel in French and most EU locales splits a line on `;`,
other tools on `,`, a tab or a line break, and some split inside quotes, so a patient named
`Smith;=1+2;` gives a cell `=1+2`. So every piece such a separator starts is checked as well,
past the spaces and quotes a tool may trim, and a formula character there is written with an
apostrophe before it, which spreadsheets show as text and do not run. Every field is quoted.
"""

import csv
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SEPARATORS = (";", ",", "\t", "\r", "\n")
_FORMULA_PIECE = re.compile(
    rf"(?:^|(?<=[{re.escape(''.join(SEPARATORS))}]))[ \"]*(?=[{re.escape(''.join(FORMULA_STARTS))}])"
)


def text(value) -> str:
    """A value as the text of its cell: a date as ISO 8601, a time of day to the minute."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def neutralised(value) -> str:
    return _FORMULA_PIECE.sub(lambda piece: piece.group() + "'", text(value))


class SafeWriter:
    def __init__(self, target):
        self._writer = csv.writer(target, quoting=csv.QUOTE_ALL)

    def writerow(self, row):
        return self._writer.writerow([neutralised(value) for value in row])


def writer(target) -> SafeWriter:
    return SafeWriter(target)


class _Echo:
    """A file-like object whose write() hands the line back, for StreamingHttpResponse."""

    def write(self, value):
        return value


def lines(rows: Iterable) -> Iterator[str]:
    """Each row as one CSV line, made when it is asked for: nothing is held but the row."""
    echo = SafeWriter(_Echo())
    for row in rows:
        yield echo.writerow(row)
