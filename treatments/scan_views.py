"""Scanning boxes: in a session's product row, on the batch form, and when a delivery is received.

The browser decodes the camera's picture (or a handheld scanner types the code); the server reads
the GS1 label and finds the clinic's product and batch, within the user's clinics only.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinics.models import Clinic
from clinics.scoping import clinics_of, managed_clinic_ids_of, require_manager
from patients.models import Patient

from . import gs1, scans, services, wedge
from .forms import BatchChoiceField
from .models import Batch, Product
from .scanner import allows_the_scanner

CODE_LENGTH = 200
CHOOSE_PATIENT_FIRST = gettext_lazy("Choose the patient first: the box is looked for in their clinic's stock.")


class SessionScan(forms.Form):
    code = forms.CharField(max_length=CODE_LENGTH)
    patient = forms.UUIDField(required=False)
    performed_at = forms.DateTimeField(required=False, input_formats=["%Y-%m-%dT%H:%M"])


def _answer(outcome: str, message: str, *, status: int = 200, **more) -> JsonResponse:
    return JsonResponse({"outcome": outcome, "message": str(message), **more}, status=status)


def _label_of(query: forms.Form):
    """The label a bound scan form names, or an answer saying why there is none."""
    if not query.is_valid():
        return None, _answer(scans.INVALID, " ".join(m for ms in query.errors.values() for m in ms))
    try:
        return gs1.label_read(query.cleaned_data["code"]), None
    except ValidationError as error:
        return None, _answer(scans.INVALID, " ".join(error.messages))


def _session_scan(request, data):
    """The label, the clinic and the session's time a session-form scan is about, or an answer saying why not."""
    query = SessionScan(data)
    label, refusal = _label_of(query)
    if refusal:
        return None, refusal
    patient_id, clinics = query.cleaned_data["patient"], clinics_of(request.user)
    if patient_id:
        patient = Patient.objects.visible_to(request.user).select_related("clinic").filter(pk=patient_id).first()
        clinic = patient.clinic if patient else None
    else:
        clinic = clinics[0] if len(clinics) == 1 else None
    if clinic is None:
        return None, _answer(scans.INVALID, CHOOSE_PATIENT_FIRST)
    typed = query.cleaned_data["performed_at"]
    performed_at = timezone.make_aware(typed.replace(tzinfo=None), clinic.zone) if typed else timezone.now()
    return (label, clinic, performed_at), None


def _scan_answer(request, scan: scans.Scan, label: gs1.Label) -> JsonResponse:
    batch = None
    if scan.batch and scan.outcome == scans.BATCH_FOUND:
        field = BatchChoiceField(queryset=None, show_clinic=len(clinics_of(request.user)) > 1)
        batch = {"value": str(scan.batch.pk), "text": field.label_from_instance(scan.batch)}
    return _answer(
        scan.outcome,
        scan.message,
        warning=scan.warning,
        batch=batch,
        can_register=scan.can_register,
        lot=label.lot,
        expiry=date_format(label.expiry, "j N Y") if label.expiry else "",
    )


@require_GET
def session_batch_scan(request):
    """The batch a scanned box names, for the session form's product row."""
    found, refusal = _session_scan(request, request.GET)
    if refusal:
        return refusal
    label, clinic, performed_at = found
    scan = scans.scan_for_session(label=label, clinic=clinic, user=request.user, performed_at=performed_at)
    return _scan_answer(request, scan, label)


@require_POST
def session_batch_register(request):
    """A manager takes a scanned box's unknown lot into stock, straight from the session form."""
    found, refusal = _session_scan(request, request.POST)
    if refusal:
        return refusal
    label, clinic, performed_at = found
    if not scans.may_register(user=request.user, clinic=clinic):
        return _answer(scans.REFUSED, _("Only a manager of the clinic can register a batch."), status=403)
    product = scans.product_of(label=label, clinic=clinic)
    if product is None:
        return _answer(scans.UNKNOWN_PRODUCT, scans.unknown_product_message(label=label, clinic=clinic))
    try:
        services.batch_receive(
            product=product,
            lot=label.lot,
            expiry=label.expiry,
            received_on=scans.received_on_for(clinic=clinic, performed_at=performed_at),
            by=request.user,
        )
    except ValidationError as error:
        return _answer(scans.REFUSED, " ".join(error.messages))
    scan = scans.scan_for_session(label=label, clinic=clinic, user=request.user, performed_at=performed_at)
    return _scan_answer(request, scan, label)


class LabelScan(forms.Form):
    code = forms.CharField(max_length=CODE_LENGTH)


@require_GET
def batch_label_scan(request, product_id):
    """The lot and expiry of a box scanned on a product's batch form, checked against the product."""
    require_manager(request.user)
    product = get_object_or_404(Product.objects.managed_by(request.user), pk=product_id)
    label, refusal = _label_of(LabelScan(request.GET))
    if refusal:
        return refusal
    scan = scans.scan_for_batch_form(label=label, product=product)
    lot, expiry = (
        (label.lot, label.expiry.isoformat() if label.expiry else "") if scan.outcome == scans.LABEL_READ else ("", "")
    )
    return _answer(scan.outcome, scan.message, lot=lot, expiry=expiry)


class ReceiveForm(forms.Form):
    clinic = forms.ModelChoiceField(label=gettext_lazy("Clinic"), queryset=None, empty_label=None)
    supplier = forms.CharField(label=gettext_lazy("Supplier"), max_length=120, required=False)
    code = forms.CharField(label=gettext_lazy("Scan a box, or type its code"), max_length=CODE_LENGTH)
    # Set by the button that takes a new lot into stock, once staff have checked what was read.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinic"].queryset = Clinic.objects.filter(pk__in=managed_clinic_ids_of(user))

    def clean_code(self):
        try:
            return gs1.label_read(self.cleaned_data["code"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None

    def code_as_typed(self) -> str:
        """The code again, for the confirmation to send back: its separators written <GS>, which an
        HTML attribute keeps and the label reader reads as the separator."""
        return self.data["code"].strip().replace(wedge.GROUP_SEPARATOR, "<GS>")


@allows_the_scanner
@require_http_methods(["GET", "POST"])
def batch_receive(request):
    """A delivery comes in: each box scanned once takes its lot into stock, with its expiry and today's
    date. A new lot goes in once staff have checked the lot and expiry read against the box: a scan cut
    short inside the lot reads a shorter lot, which only their eyes can catch."""
    require_manager(request.user)
    initial = {"clinic": request.GET.get("clinic"), "supplier": request.GET.get("supplier", "")[:120]}
    form = ReceiveForm(request.POST or None, user=request.user, initial=initial)
    to_confirm = None
    if request.method == "POST" and form.is_valid():
        clinic, label = form.cleaned_data["clinic"], form.cleaned_data["code"]
        today = timezone.localdate(timezone=clinic.zone)
        scan = scans.scan_for_receiving(label=label, clinic=clinic, received_on=today)
        if scan.outcome in (scans.UNKNOWN_PRODUCT, scans.REFUSED):
            form.add_error("code", scan.message)
        elif scan.can_register and not form.cleaned_data["confirmed"]:
            to_confirm = {"product": scan.product, "label": label, "code": form.code_as_typed()}
        else:
            try:
                batch, created = services.batch_receive(
                    product=scan.product,
                    lot=label.lot,
                    expiry=label.expiry,
                    received_on=today,
                    supplier=form.cleaned_data["supplier"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error("code", error)
            else:
                _say_received(request, product=scan.product, label=label, batch=batch, created=created)
                query = "?" + urlencode({"clinic": clinic.pk, "supplier": form.cleaned_data["supplier"]})
                return redirect(reverse("treatments:batch_receive") + query)
    # Today on each clinic's own calendar, as the boxes were received.
    today = Q()
    for clinic in form.fields["clinic"].queryset:
        today |= Q(product__clinic=clinic, received_on=timezone.localdate(timezone=clinic.zone))
    received = (
        Batch.objects.managed_by(request.user)
        .filter(today)
        .select_related("product__clinic")
        .order_by("product__name", "lot_number")
    )
    context = {"form": form, "received": received, "to_confirm": to_confirm}
    return render(request, "treatments/batch_receive.html", context)


def _say_received(request, *, product: Product, label: gs1.Label, batch: Batch, created: bool) -> None:
    words = {"product": product.name, "lot": batch.lot_number}
    if created:
        messages.success(request, _("%(product)s lot %(lot)s received.") % words)
        return
    received = date_format(batch.received_on, "j N Y")
    messages.info(
        request,
        _("%(product)s lot %(lot)s was already received on %(received)s: not added again.")
        % {**words, "received": received},
    )
    if warning := scans.expiry_differs(label, batch):
        messages.warning(request, warning)
