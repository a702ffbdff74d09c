"""A clinic's API tokens, under its settings: its managers create them (the secret shown once), see
each one's use, and revoke them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from clinics.clocks import render_in_clinic_time
from clinics.forms import show_service_errors
from clinics.scoping import managed_clinic

from . import selectors, services
from .forms import ApiTokenForm


@never_cache
@require_http_methods(["GET", "POST"])
def api_token_index(request, clinic_id):
    clinic = managed_clinic(request.user, clinic_id)
    form = ApiTokenForm(request.POST or None, clinic=clinic)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.api_token_create(clinic=clinic, created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            # Shown in this answer only: never put in the session or a message, which are stored.
            form = ApiTokenForm(clinic=clinic)
    context = {
        "clinic": clinic,
        "form": form,
        "created": created,
        "tokens": selectors.api_tokens_of(clinic=clinic),
        "now": timezone.now(),
    }
    return render_in_clinic_time(request, clinic, "api/tokens.html", context)


@require_POST
def api_token_revoke(request, clinic_id, token_id):
    clinic = managed_clinic(request.user, clinic_id)
    token = get_object_or_404(selectors.api_tokens_of(clinic=clinic), pk=token_id)
    try:
        services.api_token_revoke(token=token, revoked_by=request.user)
    except ValidationError:
        messages.info(request, services.ALREADY_REVOKED)
    else:
        messages.success(request, _("Token “%(name)s” revoked: it no longer works.") % {"name": token.name})
    return redirect("api_tokens:index", clinic_id=clinic.pk)
