"""Type-ahead searches behind the session form's patient and batch choosers.

A clinic group holds hundreds of thousands of patients and many batches: the form's selects carry
only the chosen option, and these searches (the user's clinics only, a page at a time) offer the
rest as staff type. The form still validates whatever id it receives against the same scope.
"""

from django import forms
from django.db.models import Q
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from clinics.scoping import clinic_ids_of
from patients.models import Patient
from patients.selectors import patient_list

from .forms import BatchChoiceField, PatientChoiceField
from .models import Batch

PAGE_SIZE = 20


class ChooserSearch(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    page = forms.IntegerField(required=False, min_value=1, max_value=1000)
    product = forms.UUIDField(required=False)
    patient = forms.UUIDField(required=False)


def _page(request, queryset, label) -> JsonResponse:
    search = ChooserSearch(request.GET)
    if not search.is_valid():
        return JsonResponse({"errors": search.errors}, status=400)
    number = search.cleaned_data["page"] or 1
    # One row more than a page says whether there is another, without counting every match.
    found = list(queryset(search.cleaned_data)[(number - 1) * PAGE_SIZE : number * PAGE_SIZE + 1])
    results = [{"value": str(item.pk), "text": label(item)} for item in found[:PAGE_SIZE]]
    return JsonResponse({"results": results, "page": number, "has_more": len(found) > PAGE_SIZE})


@require_GET
def patient_search(request):
    """The user's clinics' patients whose name holds every word typed, by name."""
    field = PatientChoiceField(queryset=None, show_clinic=len(clinic_ids_of(request.user)) > 1)
    return _page(request, lambda data: patient_list(user=request.user, query=data["q"]), field.label_from_instance)


def usable_batches(*, user, query: str, product_id=None, patient_id=None):
    """Batches that can be used today, nearest expiry first: expired and quarantined ones are not
    offered. Once the patient is chosen, only their clinic's, and "today" on its clock."""
    today = timezone.localdate()
    batches = Batch.objects.visible_to(user).filter(quarantined_at__isnull=True)
    patient = (
        Patient.objects.visible_to(user).select_related("clinic").filter(pk=patient_id).first() if patient_id else None
    )
    if patient:
        batches = batches.filter(product__clinic_id=patient.clinic_id)
        today = timezone.localdate(timezone=patient.clinic.zone)
    batches = batches.filter(expiry_date__gte=today)
    if product_id:
        batches = batches.filter(product_id=product_id)
    for word in query.split():
        batches = batches.filter(Q(product__name__icontains=word) | Q(lot_number__icontains=word))
    return batches.select_related("product__clinic").order_by("expiry_date", "product__name", "lot_number", "pk")


@require_GET
def batch_search(request):
    field = BatchChoiceField(queryset=None, show_clinic=len(clinic_ids_of(request.user)) > 1)
    return _page(
        request,
        lambda data: usable_batches(
            user=request.user, query=data["q"], product_id=data["product"], patient_id=data["patient"]
        ),
        field.label_from_instance,
    )
