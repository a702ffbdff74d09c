from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Clinic, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    inlines = [MembershipInline]


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "time_zone"]
    search_fields = ["name"]
    inlines = [MembershipInline]
