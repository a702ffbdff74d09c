from datetime import datetime

import pytest

from imports.reading import (
    LINE_LONGER_THAN_HEADER,
    NOT_A_SPREADSHEET,
    TOO_LARGE,
    TOO_MANY_LINES,
    TWO_COLUMNS_NAMED,
    FileRefused,
    table_read,
)

from .files import csv_file, xlsx_file

ROWS = [["Nom", "Prénom", "Téléphone"], ["Lefèvre", "Zoé", "+33612345678"], ["Müller", "Anaïs", ""]]
EXPECTED = [
    (2, {"Nom": "Lefèvre", "Prénom": "Zoé", "Téléphone": "+33612345678"}),
    (3, {"Nom": "Müller", "Prénom": "Anaïs", "Téléphone": ""}),
]


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [(",", "utf-8"), (",", "utf-8-sig"), (";", "cp1252"), (";", "latin-1"), ("\t", "utf-16"), (";", "utf-8-sig")],
)
def test_a_csv_is_read_whatever_its_separator_and_encoding(delimiter, encoding):
    table = table_read(csv_file(ROWS, delimiter=delimiter, encoding=encoding), "export.csv")

    assert table.headers == ["Nom", "Prénom", "Téléphone"]
    assert table.lines == EXPECTED


def test_the_exports_apostrophe_before_a_formula_character_is_taken_off():
    content = csv_file([["phone", "note"], ["'+33612345678", "Smith;'=1+2"], ["'-", "it's fine"]])

    table = table_read(content, "export.csv")

    assert [values for _line, values in table.lines] == [
        {"phone": "+33612345678", "note": "Smith;=1+2"},
        {"phone": "-", "note": "it's fine"},
    ]


def test_a_cell_over_several_lines_keeps_the_line_it_starts_on():
    content = csv_file([["id", "note"], ["1", "first\nsecond"], ["2", "plain"]])

    assert [line for line, _values in table_read(content, "export.csv").lines] == [2, 4]


def test_an_xlsx_keeps_its_cells_types():
    content = xlsx_file([["when", "serial", "text"], [datetime(2025, 3, 1, 9, 30), 45000, "x"], [None, None, None]])

    table = table_read(content, "book.xlsx")

    assert table.lines == [(2, {"when": datetime(2025, 3, 1, 9, 30), "serial": 45000, "text": "x"})]


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.IMPORT_MAX_BYTES = 100

    with pytest.raises(FileRefused) as refused:
        table_read(b"a,b\n" + b"1,2\n" * 50, "big.csv")

    assert refused.value.code == TOO_LARGE
    assert "MB" in refused.value.message


def test_a_file_over_the_line_limit_is_refused(settings):
    settings.IMPORT_MAX_ROWS = 3

    with pytest.raises(FileRefused) as refused:
        table_read(b"a,b\n" + b"1,2\n" * 4, "long.csv")

    assert refused.value.code == TOO_MANY_LINES


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"%PDF-1.4\x00\x00", "scan.pdf", NOT_A_SPREADSHEET),
        (b"PK\x03\x04not really a zip", "book.xlsx", "file_unreadable_workbook"),
        (b"a,a\n1,2\n", "twice.csv", TWO_COLUMNS_NAMED),
        (b"a,b\n1,2,3\n", "wide.csv", LINE_LONGER_THAN_HEADER),
        (b"", "empty.csv", "file_no_header"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_clear_message(content, name, code):
    with pytest.raises(FileRefused) as refused:
        table_read(content, name)

    assert refused.value.code == code
    assert refused.value.message
