from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from imports import messages
from imports.columns import PATIENTS, SESSIONS
from imports.values import Reading, ValueProblem, value_read

PARIS = Reading(
    zone=ZoneInfo("Europe/Paris"),
    country="FR",
    lookups={"sex": {"female": "female", "femme": "female", "f": "female"}, "areas": {"face": "face", "cou": "neck"}},
)
NEW_YORK = Reading(zone=ZoneInfo("America/New_York"), country="US", lookups={})
BIRTH = PATIENTS.column("date_of_birth")
PERFORMED_AT = SESSIONS.column("performed_at")


@pytest.mark.parametrize(
    ("raw", "reading", "expected"),
    [
        ("1985-07-14", PARIS, date(1985, 7, 14)),
        ("14/07/1985", PARIS, date(1985, 7, 14)),
        ("14.07.1985", PARIS, date(1985, 7, 14)),
        ("07/14/1985", NEW_YORK, date(1985, 7, 14)),
        (31242, PARIS, date(1985, 7, 14)),
        ("31242", PARIS, date(1985, 7, 14)),
        (datetime(1985, 7, 14), PARIS, date(1985, 7, 14)),
        ("1985-07-14 00:00:00", PARIS, date(1985, 7, 14)),
    ],
)
def test_a_date_is_read_as_spreadsheets_write_it(raw, reading, expected):
    assert value_read(BIRTH, raw, reading).value == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-03-01 09:30", datetime(2025, 3, 1, 8, 30, tzinfo=UTC)),
        ("01/03/2025 09:30", datetime(2025, 3, 1, 8, 30, tzinfo=UTC)),
        ("2025-03-01T09:30:00+00:00", datetime(2025, 3, 1, 9, 30, tzinfo=UTC)),
        ("2025-07-01 09:30", datetime(2025, 7, 1, 7, 30, tzinfo=UTC)),
        (datetime(2025, 3, 1, 9, 30), datetime(2025, 3, 1, 8, 30, tzinfo=UTC)),
        (45717.395833333336, datetime(2025, 3, 1, 8, 30, tzinfo=UTC)),
    ],
)
def test_a_time_is_on_the_clinics_clock_unless_it_states_its_offset(raw, expected):
    assert value_read(PERFORMED_AT, raw, PARIS).value == expected


@pytest.mark.parametrize(
    ("column", "raw", "code"),
    [
        (BIRTH, "31/02/1985", messages.BAD_DATE),
        (BIRTH, "", messages.REQUIRED),
        (PERFORMED_AT, "2025-03-01", messages.NO_TIME),
        (PERFORMED_AT, date(2025, 3, 1), messages.NO_TIME),
        (PERFORMED_AT, "yesterday", messages.BAD_DATETIME),
        (PATIENTS.column("sex"), "unknown", messages.NOT_ACCEPTED),
        (PATIENTS.column("consents_to_photos"), "maybe", messages.BAD_YES_NO),
        (PATIENTS.column("email"), "not-an-address", messages.BAD_EMAIL),
        (PATIENTS.column("phone"), "12", messages.BAD_PHONE),
        (PATIENTS.column("first_name"), "x" * 81, messages.TOO_LONG),
        (SESSIONS.column("volume_ml"), "a lot", messages.BAD_NUMBER),
    ],
)
def test_a_value_that_does_not_read_is_refused_with_its_reason(column, raw, code):
    with pytest.raises(ValueProblem) as problem:
        value_read(column, raw, PARIS)

    assert problem.value.code == code


def test_choices_are_read_by_code_or_label_and_lists_by_their_bar():
    assert value_read(PATIENTS.column("sex"), "Femme", PARIS).value == "female"
    assert value_read(SESSIONS.column("areas"), "Face | cou | face", PARIS).value == ["face", "neck"]


@pytest.mark.parametrize(("raw", "expected"), [("oui", True), ("Non", False), ("1", True), (0, False), (True, True)])
def test_yes_and_no_are_read_in_english_and_french(raw, expected):
    assert value_read(PATIENTS.column("consents_to_check_ins"), raw, PARIS).value is expected


def test_a_decimal_takes_a_comma_or_a_point():
    assert value_read(SESSIONS.column("volume_ml"), "1,5", PARIS).value == Decimal("1.5")
    assert value_read(SESSIONS.column("volume_ml"), 0.25, PARIS).value == Decimal("0.25")


def test_a_phone_is_read_in_the_clinics_country_and_a_landline_warned_of():
    assert value_read(PATIENTS.column("phone"), "06 12 34 56 78", PARIS).value == "+33612345678"
    landline = value_read(PATIENTS.column("phone"), "01 42 68 53 00", PARIS)
    assert (landline.value, landline.warning) == ("+33142685300", messages.CANNOT_RECEIVE_TEXTS)
