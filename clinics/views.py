from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from . import services, two_factor
from .models import Clinic, Membership
from .scoping import managed_clinic, managed_clinic_ids_of, require_manager


def clinic_settings(request):
    require_manager(request.user)
    clinics = Clinic.objects.filter(pk__in=managed_clinic_ids_of(request.user))
    return render(request, "clinics/clinic_list.html", {"clinics": clinics})


def clinic_staff(request, clinic_id):
    clinic = managed_clinic(request.user, clinic_id)
    return render(
        request, "clinics/clinic_staff.html", {"clinic": clinic, "staff": two_factor.staff_two_factor_of(clinic)}
    )


@require_POST
def staff_two_factor_reset(request, clinic_id, user_id):
    clinic = managed_clinic(request.user, clinic_id)
    # Their own app a manager replaces under Two-factor sign-in, after giving its code.
    membership = get_object_or_404(
        Membership.objects.filter(clinic=clinic).exclude(user=request.user).select_related("user"), user_id=user_id
    )
    two_factor.two_factor_reset(
        user=membership.user, by=request.user, where=_("manager of %(clinic)s") % {"clinic": clinic.name}
    )
    messages.success(
        request,
        _("Two-factor sign-in of %(name)s reset. They set it up again with their password and a new phone.")
        % {"name": membership.user},
    )
    return redirect("clinics:staff", clinic_id=clinic.pk)


@login_not_required
@require_POST
def language_choose(request):
    """The language menu, also before signing in: Django's own switch, remembered on the account of
    a member of staff signed in."""
    response = set_language(request)
    if request.user.is_authenticated:
        services.user_language_remember(user=request.user, language=request.POST.get("language", ""))
    return response
