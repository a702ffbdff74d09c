from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    inlines = [MembershipInline]


class ClinicAdmin(admin.ModelAdmin):
    """Registered by `recovery.admin`: a new clinic is opened with its reaction catalogue."""

    list_display = ["name", "phone", "time_zone", "practitioners_need_two_factor"]
    list_filter = ["practitioners_need_two_factor"]
    search_fields = ["name"]
    inlines = [MembershipInline]
