"""What the dry run says of a line, as codes the plan keeps and words a manager reads in their language."""

from django.utils.translation import gettext_lazy as _

# A cell
REQUIRED = "required"
TOO_LONG = "too_long"
BAD_DATE = "bad_date"
BAD_DATETIME = "bad_datetime"
NO_TIME = "no_time"
BAD_NUMBER = "bad_number"
BAD_WHOLE_NUMBER = "bad_whole_number"
NOT_ACCEPTED = "not_accepted"
BAD_YES_NO = "bad_yes_no"
BAD_EMAIL = "bad_email"
BAD_PHONE = "bad_phone"
BAD_GTIN = "bad_gtin"
BAD_LOT = "bad_lot"
IN_FUTURE = "in_future"

# A line against the others, the other files and the clinic's record
TWICE_IN_FILE = "twice_in_file"
SESSION_LINES_DISAGREE = "session_lines_disagree"
NO_PRODUCT_NAMED = "no_product_named"
UNKNOWN_PRODUCT = "unknown_product"
UNKNOWN_LOT = "unknown_lot"
LOT_WITHOUT_PRODUCT = "lot_without_product"
VOLUME_WITHOUT_LOT = "volume_without_lot"
VOLUME_OUT_OF_RANGE = "volume_out_of_range"
UNKNOWN_PRACTITIONER = "unknown_practitioner"
UNKNOWN_PATIENT = "unknown_patient"
UNKNOWN_SESSION = "unknown_session"
OTHER_TECHNIQUE_UNDESCRIBED = "other_technique_undescribed"
EXPIRES_BEFORE_RECEIVED = "expires_before_received"
REACTION_OR_RED_FLAG = "reaction_or_red_flag"
SEVERITY_WITHOUT_REACTION = "severity_without_reaction"
BEFORE_SESSION = "before_session"
RESOLVED_BEFORE_ONSET = "resolved_before_onset"

# Kept, once the manager confirms
CANNOT_RECEIVE_TEXTS = "cannot_receive_texts"
EXPIRED_AT_USE = "expired_at_use"

# The run itself
CHECK_FAILED = "check_failed"
DID_NOT_FINISH = "did_not_finish"
WRITE_FAILED = "write_failed"
CHANGED_SINCE_PREVIEW = "changed_since_preview"

MESSAGES = {
    REQUIRED: _("This column is required: fill it in."),
    TOO_LONG: _("This text is %(length)s characters long; at most %(max)s are kept: shorten it."),
    BAD_DATE: _("“%(value)s” is not a date: write it as 2025-03-31 or %(example)s."),
    BAD_DATETIME: _("“%(value)s” is not a date and time: write it as 2025-03-31 14:30 or %(example)s 14:30."),
    NO_TIME: _("“%(value)s” has no time of day: write the date and the time."),
    BAD_NUMBER: _("“%(value)s” is not a number (a comma or a point before the decimals)."),
    BAD_WHOLE_NUMBER: _("“%(value)s” is not a whole number."),
    NOT_ACCEPTED: _("“%(value)s” is not among the accepted values: %(accepted)s."),
    BAD_YES_NO: _("“%(value)s” is neither yes nor no."),
    BAD_EMAIL: _("“%(value)s” is not an e-mail address."),
    BAD_PHONE: _(
        "“%(value)s” does not read as a phone number: write it with its country code, e.g. +33 6 12 34 56 78."
    ),
    BAD_GTIN: _("“%(value)s” is not a GTIN: 8, 12, 13 or 14 digits, the last one checking the others."),
    BAD_LOT: _("Lot “%(value)s” holds characters a label does not print (a line break, a tab or a double quote)."),
    IN_FUTURE: _("This time is in the future: only what already happened is imported."),
    TWICE_IN_FILE: _("Number %(value)s is already on line %(first_line)s of this file."),
    SESSION_LINES_DISAGREE: _(
        "This line of session %(value)s gives another %(column_label)s than its line %(first_line)s: "
        "the lines of a session must agree."
    ),
    NO_PRODUCT_NAMED: _("Name the product: its GTIN, or its name and manufacturer."),
    UNKNOWN_PRODUCT: _("Unknown product “%(value)s”: add it to the products file or to the catalogue first."),
    UNKNOWN_LOT: _("Lot %(lot)s is unknown for %(product)s: add it to the batches file or to the catalogue first."),
    LOT_WITHOUT_PRODUCT: _("A lot number without its product: name the product on this line."),
    VOLUME_WITHOUT_LOT: _("A product used in a session needs its lot number and volume."),
    VOLUME_OUT_OF_RANGE: _("A volume is more than 0 and at most 9999.99 mL, with at most two decimals."),
    UNKNOWN_PRACTITIONER: _("%(value)s is not a practitioner of this clinic: add them to its staff first."),
    UNKNOWN_PATIENT: _("Patient number %(value)s is neither in the patients file nor in the clinic's record."),
    UNKNOWN_SESSION: _("Session number %(value)s is neither in the sessions file nor in the clinic's record."),
    OTHER_TECHNIQUE_UNDESCRIBED: _("The technique is “other”: describe it in the other technique column."),
    EXPIRES_BEFORE_RECEIVED: _("This batch expires before the day it was received."),
    REACTION_OR_RED_FLAG: _("Name a reaction with its severity, or a red flag."),
    SEVERITY_WITHOUT_REACTION: _("A reaction needs its severity, and a severity its reaction."),
    BEFORE_SESSION: _("This time is before the session it follows."),
    RESOLVED_BEFORE_ONSET: _("The resolution date is before the onset."),
    CANNOT_RECEIVE_TEXTS: _(
        "%(value)s cannot receive text messages (a landline or a service number): the patient is kept "
        "and reached by e-mail."
    ),
    EXPIRED_AT_USE: _(
        "Lot %(lot)s of %(product)s had expired on %(expiry)s, before this session: it is imported, marked and counted."
    ),
    DID_NOT_FINISH: _("The import did not finish in time; nothing was written. Start it again."),
    CHECK_FAILED: _("The files could not be checked; nothing was written. Try again, or ask for help."),
    WRITE_FAILED: _("The import could not be written; nothing of it was kept. Try again, or ask for help."),
    CHANGED_SINCE_PREVIEW: _(
        "The clinic's record changed since the preview, so some lines now read otherwise: nothing was written. "
        "Start the import again to check the files against the record as it is."
    ),
}


def worded(code: str, params: dict) -> str:
    """The message in the active language; params are the plan's, kept as JSON."""
    return MESSAGES[code] % params if params else str(MESSAGES[code])
