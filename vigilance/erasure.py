"""What reporting added to a patient's complications, when their record is erased: called by
`audits.erasure` inside its transaction, before the complications go. The trail's entry of the
erasure stands for the reports sent; the regulators keep their own copies."""

from collections.abc import Sequence

from .models import EventDetails, NotReportable, ReportReminder, Submission


def session_reports_erase(*, session_ids: Sequence) -> None:
    of_the_sessions = {"complication__recovery__session_id__in": session_ids}
    for model in (EventDetails, Submission, NotReportable, ReportReminder):
        model.objects.filter(**of_the_sessions).delete()
