from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clinics.forms import show_service_errors
from clinics.scoping import managed_clinic_ids_of, managed_clinics_of, require_manager
from patients.models import Patient
from trail.services import record_view_log

from . import charts, erasure, exports, heatmap, selectors, services, zones
from .downloads import as_attachment, content_type, table_response
from .forms import AuditPeriodForm, ExportForm, PatientEraseForm, ZoneMapForm
from .models import Export, ExportStatus
from .stats import SMALL_SAMPLE


def _audit(request, *, only: str | None = None):
    """The audit for the period in the URL: every breakdown for the page, or `only` one for its download."""
    require_manager(request.user)
    form = AuditPeriodForm(request.GET or None, clinics=managed_clinics_of(request.user))
    if request.GET and not form.is_valid():
        return form, None
    if not request.GET:
        form = AuditPeriodForm({}, clinics=managed_clinics_of(request.user))
        form.is_valid()
    clinics = form.chosen_clinics()
    counts = selectors.tallied(
        clinic_ids=[c.pk for c in clinics], first_day=form.cleaned_data["start"], last_day=form.cleaned_data["end"]
    )
    reference = selectors.overall(counts)
    tables = {
        name: selectors.breakdown_rows(counts, name, reference=reference, show_clinic=len(clinics) > 1)
        for name in ([only] if only else selectors.BREAKDOWNS)
    }
    if "month" in tables:
        tables["month"] = selectors.with_empty_months(
            tables["month"], start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
    if only:
        return form, {"reference": reference, "tables": tables}
    severity = selectors.confirmed_by_severity(counts, sessions=reference.sessions)
    clustered = selectors.clustered_batch_ids(
        clinic_ids=[c.pk for c in clinics],
        now=timezone.now(),
        threshold=settings.BATCH_CLUSTER_COMPLICATIONS,
        days=settings.BATCH_CLUSTER_DAYS,
    )
    expired = selectors.expired_batch_sessions(
        clinic_ids=[c.pk for c in clinics], first_day=form.cleaned_data["start"], last_day=form.cleaned_data["end"]
    )
    return form, {
        "reference": reference,
        "tables": tables,
        "clustered": clustered,
        "severity": severity,
        "expired_batch_sessions": expired,
    }


def audit_index(request):
    form, audit = _audit(request)
    context = {"form": form, "breakdowns": selectors.BREAKDOWNS}
    if audit:
        context.update(audit)
        context["monthly_chart"] = charts.rate_line(audit["tables"]["month"])
        context["practitioner_chart"] = charts.rate_bars(audit["tables"]["practitioner"])
        context["product_chart"] = charts.rate_bars(audit["tables"]["product"])
        context["cluster_count"] = settings.BATCH_CLUSTER_COMPLICATIONS
        context["cluster_days"] = settings.BATCH_CLUSTER_DAYS
        context["sections"] = [(name, label, audit["tables"][name]) for name, label in selectors.BREAKDOWNS.items()]
    return render(request, "audits/audit.html", context)


def audit_download(request, breakdown, file_format):
    if breakdown not in selectors.BREAKDOWNS:
        require_manager(request.user)
        form = AuditPeriodForm(request.GET or None, clinics=managed_clinics_of(request.user))
        return render(request, "audits/audit.html", {"form": form, "breakdowns": selectors.BREAKDOWNS}, status=400)
    form, audit = _audit(request, only=breakdown)
    if audit is None:
        return render(request, "audits/audit.html", {"form": form, "breakdowns": selectors.BREAKDOWNS}, status=400)
    rows = [audit["reference"], *audit["tables"][breakdown]]
    table = exports.audit_table(rows, heading=str(selectors.BREAKDOWNS[breakdown]))
    return table_response(table, file_format=file_format, name=f"complication-rates-by-{breakdown}")


def zone_map(request):
    require_manager(request.user)
    form = ZoneMapForm(request.GET, clinics=managed_clinics_of(request.user))
    context = {"form": form}
    if form.is_valid():
        measure = form.cleaned_data["colour"]
        rates = zones.zone_map(**form.scope())
        context.update(
            rates=rates,
            measure_label=heatmap.MEASURES[measure],
            diagrams=heatmap.heat_diagrams(rates.zones, measure),
            legend=heatmap.legend(measure),
            small_sample=SMALL_SAMPLE,
        )
    return render(request, "audits/zones.html", context)


TRAIL_PER_PAGE = 100


def _managed_patient(request, patient_id):
    require_manager(request.user)
    return get_object_or_404(Patient.objects.filter(clinic_id__in=managed_clinic_ids_of(request.user)), pk=patient_id)


def patient_trail(request, patient_id):
    patient = _managed_patient(request, patient_id)
    record_view_log(user=request.user, patient=patient, path=request.path)
    page = Paginator(selectors.patient_trail(patient=patient), TRAIL_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "audits/patient_trail.html", {"patient": patient, "entries": page, "page": page})


def _export_form(request):
    require_manager(request.user)
    return ExportForm(request.POST or None, clinics=managed_clinics_of(request.user))


@require_http_methods(["GET", "POST"])
def export_create(request):
    form = _export_form(request)
    if request.method == "POST" and form.is_valid():
        export = services.export_create(requested_by=request.user, **form.cleaned_data)
        return redirect("audits:export_detail", export_id=export.pk)
    exports = Export.objects.filter(clinic_id__in=managed_clinic_ids_of(request.user)).select_related("clinic")[:20]
    return render(request, "audits/exports.html", {"form": form, "exports": exports})


def _managed_export(request, export_id) -> Export:
    require_manager(request.user)
    return get_object_or_404(
        Export.objects.filter(clinic_id__in=managed_clinic_ids_of(request.user)).select_related("clinic"), pk=export_id
    )


def export_detail(request, export_id):
    export = _managed_export(request, export_id)
    template = "audits/_export_progress.html" if request.htmx else "audits/export_detail.html"
    return render(request, template, {"export": export})


def export_download(request, export_id):
    export = _managed_export(request, export_id)
    if export.status != ExportStatus.DONE:
        raise Http404
    response = FileResponse(export.file.open("rb"), content_type=content_type(export.file_format))
    return as_attachment(response, export.file.name.rsplit("/", 1)[-1])


@require_http_methods(["GET"])
def sessions_download(request):
    """The same sessions export, written while it is read: a CSV streams, an XLSX is sent once written."""
    require_manager(request.user)
    form = ExportForm(request.GET, clinics=managed_clinics_of(request.user))
    if not form.is_valid():
        return render(request, "audits/exports.html", {"form": form, "exports": []}, status=400)
    clinic, first_day, last_day = (form.cleaned_data[name] for name in ("clinic", "start", "end"))
    start, end = services.export_period(clinic, first_day, last_day)
    sessions = exports.sessions_for_export(clinic_ids=[clinic.pk], start=start, end=end)
    return table_response(
        exports.sessions_table(sessions),
        file_format=form.cleaned_data["file_format"],
        name=f"sessions-{first_day}-{last_day}",
    )


def removal_index(request):
    require_manager(request.user)
    removals = selectors.removals_of(clinic_ids=managed_clinic_ids_of(request.user))
    page = Paginator(removals, TRAIL_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "audits/removals.html", {"page": page})


def file_transfer_index(request):
    require_manager(request.user)
    transfers = selectors.file_transfers_of(clinic_ids=managed_clinic_ids_of(request.user))
    page = Paginator(transfers, TRAIL_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "audits/file_transfers.html", {"page": page})


@require_http_methods(["GET", "POST"])
def patient_erase(request, patient_id):
    patient = _managed_patient(request, patient_id)
    form = PatientEraseForm(request.POST or None, patient=patient)
    if request.method == "POST" and form.is_valid():
        try:
            erased = erasure.patient_erase(patient=patient, erased_by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The record is erased: %(sessions)s sessions, %(reports)s reports and %(photos)s photos.")
                % {"sessions": erased.sessions, "reports": erased.reports, "photos": erased.photos},
            )
            return redirect("patients:list")
    sessions = patient.sessions.count()
    return render(request, "audits/patient_erase.html", {"patient": patient, "form": form, "sessions": sessions})
