"""The one CSV writer the app uses: no cell can be read as a formula by a spreadsheet.

A cell starting with =, +, -, @, a tab or a carriage return is run by Excel, LibreOffice
and Sheets as a formula (CSV injection: a patient named `=HYPERLINK(...)`). Such a cell
is written with a leading apostrophe, which spreadsheets show as text and do not run.
"""

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SafeWriter:
    def __init__(self, target):
        self._writer = csv.writer(target)

    def writerow(self, row):
        return self._writer.writerow([neutralised(value) for value in row])


def writer(target) -> SafeWriter:
    return SafeWriter(target)
