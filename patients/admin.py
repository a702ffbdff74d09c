from django.contrib import admin

from clinics.admin_scoping import ReadOnlyClinicAdmin

from .models import Patient


@admin.register(Patient)
class PatientAdmin(ReadOnlyClinicAdmin):
    list_display = ["last_name", "first_name", "date_of_birth", "clinic", "consents_to_check_ins"]
    list_filter = ["consents_to_check_ins"]
    search_fields = ["first_name", "last_name", "email"]
