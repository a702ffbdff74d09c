"""One cell read as the value its column holds, or the reason it cannot be.

Dates are read as ISO 8601, as the clinic's country writes them (31/03/2025; 03/31/2025 in the United
States), or as the day count a spreadsheet stores; times are on the clinic's clock unless they state
their offset. Decimals take a comma or a point. Texts are bounded by their column's length.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from patients.phones import TEXTABLE

from . import messages
from .accepted import folded
from .columns import LIST_SEPARATOR, Column, ValueKind

# Day 0 of Excel's (and LibreOffice's) serial dates, past Excel's phantom 29 February 1900.
SERIAL_EPOCH = datetime(1899, 12, 30)
# 1 January 1900 to 31 December 9999, as Excel counts them.
SERIAL_RANGE = (1, 2_958_465)
MONTH_FIRST_COUNTRIES = frozenset({"US", "PH", "FM", "MH", "PW"})
_DAY_FORMATS = ("%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y")
_MONTH_FORMATS = ("%m/%d/%Y", "%m.%d.%Y", "%m-%d-%Y")
_TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%Hh%M", "%H.%M")
_YES = frozenset({"yes", "y", "oui", "o", "1", "true", "vrai", "x"})
_NO = frozenset({"no", "n", "non", "0", "false", "faux"})


class ValueProblem(Exception):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Reading:
    """What reading a value depends on: the clinic's clock and country, and each choice column's values."""

    zone: ZoneInfo
    country: str
    lookups: dict[str, dict[str, str]]

    @property
    def month_first(self) -> bool:
        return self.country in MONTH_FIRST_COUNTRIES


@dataclass(frozen=True)
class Read:
    value: Any
    # A message code the manager confirms (a number that cannot receive texts), else "".
    warning: str = ""


def _text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.isoformat(sep=" ")
    return str(raw).strip()


def value_read(column: Column, raw: Any, reading: Reading) -> Read:
    """The cell's value, None (or "" for a text) when empty; ValueProblem when it cannot be read."""
    text = _text(raw) if not isinstance(raw, (datetime, date, int, float)) else raw
    if text == "" or text is None:
        if column.required:
            raise ValueProblem(messages.REQUIRED)
        return Read("" if column.kind in (ValueKind.TEXT, ValueKind.EMAIL, ValueKind.PHONE) else None)
    reader = _READERS[column.kind]
    return reader(column, text, reading)


def _bounded_text(column: Column, value: str) -> str:
    if column.max_length is not None and len(value) > column.max_length:
        raise ValueProblem(messages.TOO_LONG, max=column.max_length, length=len(value))
    return value


def _read_text(column: Column, raw: Any, reading: Reading) -> Read:
    return Read(_bounded_text(column, _text(raw)))


def _serial(raw: Any) -> datetime | None:
    if isinstance(raw, str):
        if not raw.replace(".", "", 1).isdigit():
            return None
        raw = float(raw)
    if not isinstance(raw, (int, float)) or not SERIAL_RANGE[0] <= raw <= SERIAL_RANGE[1]:
        return None
    # Rounded to the second: a spreadsheet's fraction of a day does not land on one.
    return SERIAL_EPOCH + timedelta(seconds=round(raw * 86_400))


def _day_from_text(text: str, reading: Reading) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    for day_format in _MONTH_FORMATS if reading.month_first else _DAY_FORMATS:
        try:
            return datetime.strptime(text, day_format).date()
        except ValueError:
            continue
    return None


def _read_date(column: Column, raw: Any, reading: Reading) -> Read:
    if isinstance(raw, datetime):
        return Read(raw.date())
    if isinstance(raw, date):
        return Read(raw)
    serial = _serial(raw)
    if serial is not None:
        return Read(serial.date())
    text = _text(raw)
    day = _day_from_text(text, reading)
    if day is None:
        # A date some software writes with a midnight time after it.
        moment = _moment_from_text(text, reading)
        if moment is not None and moment.time() == time(0, 0):
            day = moment.date()
    if day is None:
        raise ValueProblem(messages.BAD_DATE, value=text[:40], example=_example_date(reading))
    return Read(day)


def _moment_from_text(text: str, reading: Reading) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is not None:
        # An ISO date alone has no time: "2025-03-31" is a day, not its midnight.
        return moment if len(text) > 10 else None
    day_text, _space, time_text = text.partition(" ")
    day = _day_from_text(day_text, reading)
    if day is None or not time_text:
        return None
    for time_format in _TIME_FORMATS:
        try:
            return datetime.combine(day, datetime.strptime(time_text.strip(), time_format).time())
        except ValueError:
            continue
    return None


def _read_datetime(column: Column, raw: Any, reading: Reading) -> Read:
    if isinstance(raw, datetime):
        moment = raw
    elif isinstance(raw, date):
        raise ValueProblem(messages.NO_TIME, value=raw.isoformat())
    else:
        moment = _serial(raw) if not isinstance(raw, str) else None
        if moment is None:
            moment = _moment_from_text(_text(raw), reading)
        if moment is None and _day_from_text(_text(raw), reading) is not None:
            raise ValueProblem(messages.NO_TIME, value=_text(raw)[:40])
        if moment is None:
            raise ValueProblem(messages.BAD_DATETIME, value=_text(raw)[:40], example=_example_date(reading))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=reading.zone)
    return Read(moment.astimezone(ZoneInfo("UTC")))


def _example_date(reading: Reading) -> str:
    return "03/31/2025" if reading.month_first else "31/03/2025"


def _read_decimal(column: Column, raw: Any, reading: Reading) -> Read:
    text = _text(raw).replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueProblem(messages.BAD_NUMBER, value=text[:40]) from None
    if not value.is_finite() or value < 0:
        raise ValueProblem(messages.BAD_NUMBER, value=text[:40])
    return Read(value)


def _read_integer(column: Column, raw: Any, reading: Reading) -> Read:
    text = _text(raw)
    if not text.isdigit() or len(text) > 9:
        raise ValueProblem(messages.BAD_WHOLE_NUMBER, value=text[:40])
    value = int(text)
    if column.values_from:
        accepted = reading.lookups.get(column.name, {})
        if accepted and str(value) not in accepted.values():
            raise ValueProblem(messages.NOT_ACCEPTED, value=text, accepted=", ".join(sorted(set(accepted.values()))))
    return Read(value)


def _choice(column: Column, text: str, reading: Reading) -> str:
    lookup = reading.lookups.get(column.name, {})
    code = lookup.get(folded(text))
    if code is None:
        codes = sorted(set(lookup.values()))
        raise ValueProblem(messages.NOT_ACCEPTED, value=text[:60], accepted=", ".join(codes))
    return code


def _read_choice(column: Column, raw: Any, reading: Reading) -> Read:
    return Read(_choice(column, _text(raw), reading))


def _read_choices(column: Column, raw: Any, reading: Reading) -> Read:
    codes: list[str] = []
    for piece in _text(raw).split(LIST_SEPARATOR):
        if piece.strip():
            code = _choice(column, piece.strip(), reading)
            if code not in codes:
                codes.append(code)
    if not codes and column.required:
        raise ValueProblem(messages.REQUIRED)
    return Read(codes)


def _read_yes_no(column: Column, raw: Any, reading: Reading) -> Read:
    text = folded(_text(raw))
    if text in _YES:
        return Read(True)
    if text in _NO:
        return Read(False)
    raise ValueProblem(messages.BAD_YES_NO, value=_text(raw)[:40])


def _read_email(column: Column, raw: Any, reading: Reading) -> Read:
    text = _bounded_text(column, _text(raw))
    try:
        validate_email(text)
    except ValidationError:
        raise ValueProblem(messages.BAD_EMAIL, value=text[:60]) from None
    return Read(text)


def _read_phone(column: Column, raw: Any, reading: Reading) -> Read:
    text = _bounded_text(column, _text(raw))
    try:
        number = phonenumbers.parse(text, reading.country)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValueProblem(messages.BAD_PHONE, value=text[:40])
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if phonenumbers.number_type(number) not in TEXTABLE:
        return Read(e164, warning=messages.CANNOT_RECEIVE_TEXTS)
    return Read(e164)


_READERS = {
    ValueKind.TEXT: _read_text,
    ValueKind.DATE: _read_date,
    ValueKind.DATETIME: _read_datetime,
    ValueKind.DECIMAL: _read_decimal,
    ValueKind.INTEGER: _read_integer,
    ValueKind.CHOICE: _read_choice,
    ValueKind.CHOICES: _read_choices,
    ValueKind.YES_NO: _read_yes_no,
    ValueKind.EMAIL: _read_email,
    ValueKind.PHONE: _read_phone,
}
