import csv
from datetime import datetime, time, timedelta

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from clinics.scoping import managed_clinics_of, require_manager

from . import charts, selectors
from .forms import AuditPeriodForm


def _audit(request):
    require_manager(request.user)
    form = AuditPeriodForm(request.GET or None, clinics=managed_clinics_of(request.user))
    if request.GET and not form.is_valid():
        return form, None
    if not request.GET:
        form = AuditPeriodForm({}, clinics=managed_clinics_of(request.user))
        form.is_valid()
    clinics = form.chosen_clinics()
    zone = clinics[0].zone
    start = datetime.combine(form.cleaned_data["start"], time.min, tzinfo=zone)
    end = datetime.combine(form.cleaned_data["end"] + timedelta(days=1), time.min, tzinfo=zone)
    sessions = selectors.audited_sessions(clinic_ids=[c.pk for c in clinics], start=start, end=end)
    reference = selectors.overall(sessions)
    tables = {
        name: selectors.breakdown_rows(sessions, name, reference=reference, zone=zone, show_clinic=len(clinics) > 1)
        for name in selectors.BREAKDOWNS
    }
    return form, {"reference": reference, "tables": tables}


def audit_index(request):
    form, audit = _audit(request)
    context = {"form": form, "breakdowns": selectors.BREAKDOWNS}
    if audit:
        context.update(audit)
        context["monthly_chart"] = charts.rate_line(audit["tables"]["month"])
        context["practitioner_chart"] = charts.rate_bars(audit["tables"]["practitioner"])
        context["product_chart"] = charts.rate_bars(audit["tables"]["product"])
        context["sections"] = [(name, label, audit["tables"][name]) for name, label in selectors.BREAKDOWNS.items()]
    return render(request, "audits/audit.html", context)


class _Echo:
    def write(self, value):
        return value


def audit_csv(request, breakdown):
    form, audit = _audit(request)
    if audit is None or breakdown not in selectors.BREAKDOWNS:
        return render(request, "audits/audit.html", {"form": form, "breakdowns": selectors.BREAKDOWNS}, status=400)
    rows = [audit["reference"], *audit["tables"][breakdown]]
    writer = csv.writer(_Echo())
    header = [
        str(selectors.BREAKDOWNS[breakdown]),
        _("Sessions"),
        _("Patient-reported"),
        _("Patient-reported rate"),
        _("95% CI low"),
        _("95% CI high"),
        _("Clinician-confirmed"),
        _("Clinician-confirmed rate"),
        _("95% CI low"),
        _("95% CI high"),
        _("Small sample"),
        _("Above the clinic-wide rate"),
    ]

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(
                [
                    row.label,
                    row.sessions,
                    row.reported.events,
                    f"{row.reported.value:.4f}",
                    f"{row.reported.low:.4f}",
                    f"{row.reported.high:.4f}",
                    row.confirmed.events,
                    f"{row.confirmed.value:.4f}",
                    f"{row.confirmed.low:.4f}",
                    f"{row.confirmed.high:.4f}",
                    "yes" if row.reported.small_sample else "no",
                    "yes" if row.reported_above or row.confirmed_above else "no",
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="complication-rates-by-{breakdown}.csv"'
    return response
