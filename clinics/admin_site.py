from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .scoping import is_manager


class ClinicAdminSite(admin.AdminSite):
    """The admin, open to superusers and to clinic managers for their own clinics' records.

    A manager's rights follow their membership role, so promoting a practitioner
    needs no separate admin flag or permission set.
    """

    site_header = _("Recovery Desk administration")
    site_title = _("Recovery Desk")

    def has_permission(self, request):
        return request.user.is_active and (request.user.is_staff or is_manager(request.user))
