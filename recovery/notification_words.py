"""A notification in its reader's language, from its kind and parameters (recovery.notifications
stores no words, only what they need)."""

from datetime import date, datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import ComplicationType, Notification, NotificationKind
from .reasons import label, reason_words


def notification_words(notification: Notification) -> str:
    params = notification.params
    if "text" in params:
        # Written before notifications were stored as codes: kept in the words of the day.
        return params["text"]
    kind = notification.kind
    if kind == NotificationKind.BATCH_CLUSTER:
        return (
            _("%(product)s lot %(lot)s: %(count)s or more patient-reported complications within %(days)s days") % params
        )
    patient = notification.recovery.session.patient.full_name
    if kind == NotificationKind.RED_FLAG:
        flags = ", ".join(label(flag) for flag in params["flags"])
        return _("Red flag for %(patient)s: %(flags)s") % {"patient": patient, "flags": flags}
    if kind == NotificationKind.NEEDS_ATTENTION and params.get("reasons"):
        reasons = "; ".join(reason_words(r["code"], r["params"]) for r in params["reasons"])
        return _("%(patient)s needs attention: %(reasons)s") % {"patient": patient, "reasons": reasons}
    if kind == NotificationKind.NEEDS_ATTENTION:
        return _("%(patient)s needs attention") % {"patient": patient}
    if kind == NotificationKind.NOT_REACHED:
        reason = reason_words(params["reason"]["code"], params["reason"]["params"])
        return _("%(patient)s: %(reason)s") % {"patient": patient, "reason": reason}
    if kind == NotificationKind.REPORT_LATE:
        return _(
            "%(patient)s: the serious event (%(complication)s) confirmed on %(confirmed)s is neither reported nor "
            "judged not reportable; it was due by %(last_day)s"
        ) % {
            "patient": patient,
            "complication": ComplicationType(params["complication_type"]).label,
            "confirmed": date_format(date.fromisoformat(params["confirmed"]), "j F Y"),
            "last_day": date_format(date.fromisoformat(params["last_day"]), "j F Y"),
        }
    if kind == NotificationKind.MISSED_CHECK_IN:
        sent = date_format(datetime.fromisoformat(params["sent"]), "j F H:i")
        return _("%(patient)s did not answer the check-in sent %(sent)s") % {"patient": patient, "sent": sent}
    return _("%(patient)s's recovery is overdue") % {"patient": patient}
