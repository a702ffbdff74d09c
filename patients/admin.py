from django.contrib import admin

from .models import Patient


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "date_of_birth", "clinic", "consents_to_check_ins"]
    list_filter = ["clinic", "consents_to_check_ins"]
    search_fields = ["first_name", "last_name", "email"]
