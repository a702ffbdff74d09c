"""Patients' mobile numbers: typed as the clinic's staff write them, kept in E.164, and only
numbers that can receive a text message, since the check-in link goes to them."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from phonenumber_field.phonenumber import PhoneNumber

# Some countries (the US, Canada) do not tell mobiles from landlines by the number; those may
# receive texts, so they are accepted.
TEXTABLE = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}

NOT_A_NUMBER = _("Enter a mobile number, e.g. %(example)s, or one with its international prefix (+33 6 12 34 56 78).")
CANNOT_RECEIVE_TEXTS = _(
    "This number cannot receive text messages (a landline or a service number). Enter the patient's mobile number."
)


def mobile_number(typed: str, *, country: str) -> PhoneNumber:
    """The number staff typed, read as `country`'s unless it carries its international prefix."""
    try:
        number = PhoneNumber.from_string(typed, region=country)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not number.is_valid():
        raise ValidationError(NOT_A_NUMBER, code="invalid", params={"example": example_mobile(country)})
    if phonenumbers.number_type(number) not in TEXTABLE:
        raise ValidationError(CANNOT_RECEIVE_TEXTS, code="cannot_receive_texts")
    return number


def can_receive_texts(number) -> bool:
    """Whether a stored number can be texted: numbers kept from before they were checked may not."""
    return bool(number) and number.is_valid() and phonenumbers.number_type(number) in TEXTABLE


def example_mobile(country: str) -> str:
    example = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.MOBILE)
    if example is None:
        return "+44 7400 123456"
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
