from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import two_factor
from .forms import ClinicAdminForm
from .models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    actions = ["reset_two_factor"]
    fieldsets = [*UserAdmin.fieldsets, (_("E-mails"), {"fields": ["language"]})]

    @admin.action(description=_("Reset two-factor sign-in (lost phone)"), permissions=["change"])
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            two_factor.two_factor_reset(user=user, by=request.user, where=gettext("in the admin"))
        self.message_user(
            request,
            gettext("Two-factor sign-in reset for %(names)s. Whoever must use it is asked to set it up again.")
            % {"names": ", ".join(str(user) for user in queryset)},
            messages.SUCCESS,
        )


class ClinicAdmin(admin.ModelAdmin):
    """Registered by `recovery.admin`: a new clinic is opened with its reaction catalogue."""

    form = ClinicAdminForm
    list_display = ["name", "phone", "emergency_phone", "time_zone", "practitioners_need_two_factor"]
    list_filter = ["practitioners_need_two_factor"]
    search_fields = ["name"]
    inlines = [MembershipInline]
