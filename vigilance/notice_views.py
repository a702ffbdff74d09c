"""The notice to a lot's manufacturer, as a page and a PDF, for a manager of the lot's clinic.

It names no patient, so opening it is not written to a patient's trail: the trail records who
opened whose record, and this notice opens none."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import content_disposition_header

from clinics.clocks import render_in_clinic_time
from clinics.scoping import require_manager

from .notice import batch_notice as notice_of
from .notice import notice_batches
from .pdf import pdf_from_template


def _notice(request, batch_id):
    require_manager(request.user)
    batch = get_object_or_404(notice_batches(request.user), pk=batch_id)
    notice = notice_of(batch)
    if not notice.events:
        # Nothing confirmed: nothing to tell the manufacturer, and no page to show.
        raise Http404
    return notice, {"notice": notice, "today": timezone.localdate(timezone=batch.product.clinic.zone)}


def batch_notice(request, batch_id):
    notice, context = _notice(request, batch_id)
    return render_in_clinic_time(request, notice.batch.product.clinic, "vigilance/batch_notice.html", context)


def batch_notice_pdf(request, batch_id):
    notice, context = _notice(request, batch_id)
    with timezone.override(notice.batch.product.clinic.zone):
        pdf = pdf_from_template("vigilance/batch_notice_pdf.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"notice-lot-{notice.batch.pk}.pdf")
    return response
