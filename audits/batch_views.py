"""Batch traceability: every session and patient that received a batch, its recoveries, quarantine."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clinics.clocks import render_in_clinic_time
from clinics.scoping import require_manager
from recovery.batch_selectors import RecoveriesOfBatch
from treatments import selectors as treatment_selectors
from treatments import services as treatment_services
from treatments.models import Batch
from treatments.stock_forms import QuarantineForm
from vigilance.notice import has_confirmed_events

from . import exports
from .downloads import table_response

BATCH_SESSIONS_PER_PAGE = 50
# The page lists the first patients to contact; the CSV and the XLSX hold every one of them.
CONTACTS_PER_PAGE = 50


def batch_detail(request, batch_id):
    require_manager(request.user)
    batch = get_object_or_404(
        Batch.objects.managed_by(request.user).select_related("product__clinic", "quarantined_by"), pk=batch_id
    )
    recoveries = RecoveriesOfBatch(batch=batch, now=timezone.now())
    page = Paginator(recoveries, BATCH_SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render_in_clinic_time(
        request,
        batch.product.clinic,
        "audits/batch_detail.html",
        {
            "batch": batch,
            "recoveries": page,
            "page": page,
            "patients_to_contact": Paginator(
                treatment_selectors.PatientsToContact(batch=batch), CONTACTS_PER_PAGE
            ).get_page(request.GET.get("contacts")),
            "quarantine_form": QuarantineForm(),
            "notice_available": has_confirmed_events(batch),
            "today": timezone.localdate(timezone=batch.product.clinic.zone),
        },
    )


@require_http_methods(["POST"])
def batch_quarantine(request, batch_id):
    require_manager(request.user)
    batch = get_object_or_404(Batch.objects.managed_by(request.user), pk=batch_id)
    form = QuarantineForm(request.POST)
    if form.is_valid():
        try:
            treatment_services.batch_quarantine(batch=batch, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.warning(
                request, _("Lot %(lot)s is quarantined. Contact the patients listed below.") % {"lot": batch.lot_number}
            )
    else:
        messages.error(request, treatment_services.QUARANTINE_NEEDS_REASON)
    return redirect(batch)


def batch_contacts(request, batch_id, file_format):
    require_manager(request.user)
    batch = get_object_or_404(Batch.objects.managed_by(request.user).select_related("product__clinic"), pk=batch_id)
    return table_response(
        exports.contacts_table(batch), file_format=file_format, name=f"patients-to-contact-lot-{batch.lot_number}"
    )
