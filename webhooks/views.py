"""The webhook pages, for managers, each scoped to the clinics they manage: a foreign id answers 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clinics.clocks import render_in_clinic_time
from clinics.forms import show_service_errors
from clinics.scoping import managed_clinic, require_manager

from . import selectors, services
from .forms import EndpointEditForm, EndpointForm

DELIVERIES_PER_PAGE = 50


def _managed_endpoint(request, endpoint_id):
    require_manager(request.user)
    return get_object_or_404(selectors.managed_endpoints(request.user), pk=endpoint_id)


def endpoint_list(request, clinic_id):
    clinic = managed_clinic(request.user, clinic_id)
    return render_in_clinic_time(
        request, clinic, "webhooks/endpoint_list.html", {"clinic": clinic, "endpoints": clinic.webhook_endpoints.all()}
    )


def endpoint_create(request, clinic_id):
    clinic = managed_clinic(request.user, clinic_id)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.endpoint_create(
                clinic=clinic, url=form.cleaned_data["url"], kinds=form.cleaned_data["events"], by=request.user
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request, _("Endpoint added. Give its signing secret, below, to the system that receives it.")
            )
            return redirect(endpoint)
    return render_in_clinic_time(request, clinic, "webhooks/endpoint_form.html", {"clinic": clinic, "form": form})


def endpoint_detail(request, endpoint_id):
    endpoint = _managed_endpoint(request, endpoint_id)
    page = Paginator(selectors.delivery_log(endpoint=endpoint), DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    return render_in_clinic_time(
        request, endpoint.clinic, "webhooks/endpoint_detail.html", {"endpoint": endpoint, "deliveries": page}
    )


def endpoint_edit(request, endpoint_id):
    endpoint = _managed_endpoint(request, endpoint_id)
    initial = {"url": endpoint.url, "events": endpoint.events, "enabled": endpoint.enabled}
    form = EndpointEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.endpoint_update(
                endpoint=endpoint,
                url=form.cleaned_data["url"],
                kinds=form.cleaned_data["events"],
                enabled=form.cleaned_data["enabled"],
                by=request.user,
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Endpoint saved."))
            return redirect(endpoint)
    return render_in_clinic_time(
        request,
        endpoint.clinic,
        "webhooks/endpoint_form.html",
        {"clinic": endpoint.clinic, "endpoint": endpoint, "form": form},
    )


def delivery_detail(request, delivery_id):
    require_manager(request.user)
    delivery = get_object_or_404(selectors.managed_deliveries(request.user), pk=delivery_id)
    return render_in_clinic_time(
        request,
        delivery.endpoint.clinic,
        "webhooks/delivery_detail.html",
        {"delivery": delivery, "endpoint": delivery.endpoint, "attempts": delivery.attempt_log.all()},
    )


@require_POST
def delivery_resend(request, delivery_id):
    require_manager(request.user)
    delivery = get_object_or_404(selectors.managed_deliveries(request.user), pk=delivery_id)
    try:
        services.delivery_resend(delivery=delivery, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Sent again: the attempt is listed below once the endpoint has answered."))
    return redirect(delivery)
