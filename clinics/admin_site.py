from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import two_factor
from .scoping import is_manager
from .sign_in_forms import StaffAdminAuthenticationForm


class ClinicAdminSite(admin.AdminSite):
    """The admin, open to superusers and to clinic managers for their own clinics' records.

    A manager's rights follow their membership role, so promoting a practitioner
    needs no separate admin flag or permission set. Whoever owes a two-factor code
    is kept out until they give it, whichever login form they used.
    """

    site_header = _("Recovery Desk administration")
    site_title = _("Recovery Desk")
    login_form = StaffAdminAuthenticationForm

    def has_permission(self, request):
        user = request.user
        return user.is_active and (user.is_staff or is_manager(user)) and two_factor.step_needed(request) is None
