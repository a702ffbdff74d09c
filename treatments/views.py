from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from clinics.clocks import render_in_clinic_time
from clinics.scoping import managed_clinic_ids_of, require_manager
from patients.models import Patient
from trail.services import record_view_log

from . import selectors
from .models import Batch, Product
from .scanner import allows_the_scanner
from .stock_forms import BatchForm, ProductForm

SESSIONS_PER_PAGE = 25


def session_index(request):
    page = Paginator(selectors.session_list(user=request.user), SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "treatments/session_list.html", {"page": page})


def patient_detail(request, patient_id):
    """The patient's record with their treatment history: composed here, above `patients`."""
    patient = get_object_or_404(Patient.objects.visible_to(request.user).select_related("clinic"), pk=patient_id)
    record_view_log(user=request.user, patient=patient, path=request.path)
    sessions = list(selectors.sessions_of_patient(patient=patient))
    context = {
        "patient": patient,
        "sessions": sessions,
        "latest_session": sessions[0] if sessions else None,
        "can_erase": patient.clinic_id in managed_clinic_ids_of(request.user),
    }
    return render_in_clinic_time(request, patient.clinic, "treatments/patient_detail.html", context)


def product_index(request):
    require_manager(request.user)
    return render(request, "treatments/product_list.html", {"products": selectors.product_list(user=request.user)})


def product_create(request):
    require_manager(request.user)
    form = ProductForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        product = form.save()
        messages.success(request, _("Product %(name)s added.") % {"name": product.name})
        return redirect(product)
    return render(request, "treatments/product_form.html", {"form": form})


def product_edit(request, product_id):
    require_manager(request.user)
    product = get_object_or_404(Product.objects.managed_by(request.user), pk=product_id)
    form = ProductForm(request.POST or None, instance=product, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Changes to %(name)s saved.") % {"name": product.name})
        return redirect(product)
    return render(request, "treatments/product_form.html", {"form": form, "product": product})


def product_detail(request, product_id):
    require_manager(request.user)
    product = get_object_or_404(Product.objects.managed_by(request.user).select_related("clinic"), pk=product_id)
    return render_in_clinic_time(
        request,
        product.clinic,
        "treatments/product_detail.html",
        {
            "product": product,
            "batches": selectors.batches_of_product(product=product),
            "today": timezone.localdate(timezone=product.clinic.zone),
        },
    )


@allows_the_scanner
def batch_create(request, product_id):
    require_manager(request.user)
    product = get_object_or_404(Product.objects.managed_by(request.user), pk=product_id)
    form = BatchForm(request.POST or None, product=product)
    if request.method == "POST" and form.is_valid():
        batch = form.save()
        messages.success(request, _("Lot %(lot)s added.") % {"lot": batch.lot_number})
        return redirect(product)
    return render(request, "treatments/batch_form.html", {"form": form, "product": product})


@allows_the_scanner
def batch_edit(request, batch_id):
    require_manager(request.user)
    batch = get_object_or_404(Batch.objects.managed_by(request.user).select_related("product"), pk=batch_id)
    form = BatchForm(request.POST or None, instance=batch, product=batch.product)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Changes to lot %(lot)s saved.") % {"lot": batch.lot_number})
        return redirect(batch)
    return render(request, "treatments/batch_form.html", {"form": form, "product": batch.product, "batch": batch})
