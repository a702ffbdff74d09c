import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audits.services import record_view_log
from clinics.scoping import require_manager
from recovery import selectors as recovery_selectors

from . import selectors, services
from .forms import BatchForm, ProductForm, QuarantineForm, SessionEntry, session_initial
from .models import Batch, Product

SESSIONS_PER_PAGE = 25
BATCH_SESSIONS_PER_PAGE = 50


def session_index(request):
    page = Paginator(selectors.session_list(user=request.user), SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "treatments/session_list.html", {"page": page})


def session_create(request):
    initial = session_initial(user=request.user, patient_id=request.GET.get("patient"))
    entry = SessionEntry(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and entry.is_valid():
        try:
            session = services.session_create(**entry.service_arguments())
        except ValidationError as error:
            entry.add_service_errors(error)
        else:
            messages.success(request, _("Session recorded."))
            return redirect(session)
    return render(request, "treatments/session_form.html", {"entry": entry})


def session_detail(request, session_id):
    session = get_object_or_404(selectors.session_detail_queryset(user=request.user), pk=session_id)
    record_view_log(user=request.user, patient=session.patient, path=request.path)
    panel = recovery_selectors.recovery_panel(session=session, now=timezone.now())
    return render(request, "treatments/session_detail.html", {"session": session, **panel})


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
    return render(
        request,
        "treatments/product_detail.html",
        {"product": product, "batches": selectors.batches_of_product(product=product), "today": timezone.localdate()},
    )


def batch_create(request, product_id):
    require_manager(request.user)
    product = get_object_or_404(Product.objects.managed_by(request.user), pk=product_id)
    form = BatchForm(request.POST or None, product=product)
    if request.method == "POST" and form.is_valid():
        batch = form.save()
        messages.success(request, _("Lot %(lot)s added.") % {"lot": batch.lot_number})
        return redirect(product)
    return render(request, "treatments/batch_form.html", {"form": form, "product": product})


def batch_edit(request, batch_id):
    require_manager(request.user)
    batch = get_object_or_404(Batch.objects.managed_by(request.user).select_related("product"), pk=batch_id)
    form = BatchForm(request.POST or None, instance=batch, product=batch.product)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Changes to lot %(lot)s saved.") % {"lot": batch.lot_number})
        return redirect(batch)
    return render(request, "treatments/batch_form.html", {"form": form, "product": batch.product, "batch": batch})


def batch_detail(request, batch_id):
    require_manager(request.user)
    batch = get_object_or_404(
        Batch.objects.managed_by(request.user).select_related("product__clinic", "quarantined_by"), pk=batch_id
    )
    recoveries = recovery_selectors.recoveries_of_batch(batch=batch, now=timezone.now())
    page = Paginator(recoveries, BATCH_SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "treatments/batch_detail.html",
        {
            "batch": batch,
            "recoveries": page,
            "page": page,
            "patients_to_contact": selectors.patients_of_batch(batch=batch),
            "quarantine_form": QuarantineForm(),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["POST"])
def batch_quarantine(request, batch_id):
    require_manager(request.user)
    batch = get_object_or_404(Batch.objects.managed_by(request.user), pk=batch_id)
    form = QuarantineForm(request.POST)
    if form.is_valid():
        try:
            services.batch_quarantine(batch=batch, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.warning(
                request, _("Lot %(lot)s is quarantined. Contact the patients listed below.") % {"lot": batch.lot_number}
            )
    else:
        messages.error(request, services.QUARANTINE_NEEDS_REASON)
    return redirect(batch)


def batch_contacts_csv(request, batch_id):
    require_manager(request.user)
    batch = get_object_or_404(Batch.objects.managed_by(request.user), pk=batch_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="patients-to-contact-lot-{batch.lot_number}.csv"'
    writer = csv.writer(response)
    writer.writerow([_("Patient"), _("Date of birth"), _("Phone"), _("Email"), _("Last session with this lot")])
    for patient in selectors.patients_of_batch(batch=batch):
        writer.writerow([patient.full_name, patient.date_of_birth, patient.phone, patient.email, patient.last_use])
    return response
