"""The template a manager fills in for each kind of file: its header, and the values each column takes.

The XLSX has two sheets: the header to fill in, and each column with what it holds and the values it
accepts (the clinic's own catalogue for reactions and red flags). The CSV is the header line alone, so
a spreadsheet opens it ready to fill in.
"""

import io

from django.http import HttpResponse
from django.utils.translation import gettext as _

from audits import csv_safe, xlsx_safe
from audits.downloads import as_attachment
from clinics.models import Clinic

from .accepted import accepted_values
from .columns import LIST_SEPARATOR, Column, FileKind, ValueKind


def _format_of(column: Column) -> str:
    return {
        ValueKind.TEXT: _("Text"),
        ValueKind.DATE: _("A date: 2025-03-31, or as your spreadsheet writes dates"),
        ValueKind.DATETIME: _("A date and time on the clinic's clock: 2025-03-31 14:30"),
        ValueKind.DECIMAL: _("A number, with a comma or a point before the decimals"),
        ValueKind.INTEGER: _("A whole number"),
        ValueKind.CHOICE: _("One of the accepted values"),
        ValueKind.CHOICES: _("Accepted values separated by %(separator)s") % {"separator": LIST_SEPARATOR},
        ValueKind.YES_NO: _("yes or no"),
        ValueKind.EMAIL: _("An e-mail address"),
        ValueKind.PHONE: _("A phone number"),
    }[column.kind]


def guide_rows(file_kind: FileKind, clinic: Clinic) -> list[list[str]]:
    rows = [[_("Column"), _("What it holds"), _("Required"), _("Format"), _("Accepted values"), _("Help")]]
    for column in file_kind.columns:
        accepted = ""
        if column.values_from:
            accepted = "\n".join(f"{code} – {label}" for code, label in accepted_values(column, clinic))
        if column.max_length:
            accepted = accepted or _("At most %(count)s characters") % {"count": column.max_length}
        rows.append(
            [
                column.name,
                str(column.label),
                _("yes") if column.required else _("no"),
                _format_of(column),
                accepted,
                str(column.help),
            ]
        )
    return rows


def template_response(file_kind: FileKind, clinic: Clinic, *, file_format: str) -> HttpResponse:
    name = f"import-{file_kind.code}.{file_format}"
    if file_format == "xlsx":
        target = io.BytesIO()
        xlsx_safe.write_sheets(
            target,
            [(str(file_kind.label), [file_kind.names]), (_("Accepted values"), guide_rows(file_kind, clinic))],
        )
        response = HttpResponse(target.getvalue(), content_type=xlsx_safe.CONTENT_TYPE)
    else:
        response = HttpResponse("".join(csv_safe.lines([file_kind.names])), content_type="text/csv; charset=utf-8")
    return as_attachment(response, name)
