from django.contrib import admin

from .scoping import managed_clinic_ids_of


class ManagedClinicAdmin(admin.ModelAdmin):
    """Admin pages a manager may use for their own clinics' records only.

    `clinic_lookup` is the path from the model to its clinic's id.
    """

    clinic_lookup = "clinic_id"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.clinic_lookup}__in": managed_clinic_ids_of(request.user)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if not request.user.is_superuser:
            related_admin = self.admin_site._registry.get(db_field.related_model)
            if isinstance(related_admin, ManagedClinicAdmin):
                field.queryset = related_admin.get_queryset(request)
            elif db_field.name == "clinic":
                field.queryset = field.queryset.filter(pk__in=managed_clinic_ids_of(request.user))
        return field
