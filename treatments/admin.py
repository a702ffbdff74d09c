from django.contrib import admin

from clinics.admin_scoping import ManagedClinicAdmin, ReadOnlyClinicAdmin, clinic_time_column

from .models import Batch, Product, SessionArea, SessionProduct, TreatmentSession


class BatchInline(admin.TabularInline):
    model = Batch
    extra = 0
    readonly_fields = ["quarantined_at", "quarantined_by", "quarantine_reason"]

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Product)
class ProductAdmin(ManagedClinicAdmin):
    list_display = ["name", "manufacturer", "kind", "clinic"]
    list_select_related = ["clinic"]
    list_filter = ["kind"]
    search_fields = ["name", "manufacturer", "active_ingredients"]
    inlines = [BatchInline]


@admin.register(Batch)
class BatchAdmin(ManagedClinicAdmin):
    clinic_lookup = "product__clinic_id"
    # Quarantine goes through its page, which records who and why.
    readonly_fields = ["quarantined_at", "quarantined_by", "quarantine_reason"]
    list_display = ["lot_number", "product", "expiry_date", "received_on", "supplier"]
    list_filter = ["expiry_date"]
    search_fields = ["lot_number", "product__name"]
    list_select_related = ["product"]


class SessionAreaInline(admin.TabularInline):
    model = SessionArea
    extra = 0
    can_delete = False


class SessionProductInline(admin.TabularInline):
    model = SessionProduct
    extra = 0
    can_delete = False


@admin.register(TreatmentSession)
class TreatmentSessionAdmin(ReadOnlyClinicAdmin):
    list_display = ["patient", clinic_time_column(TreatmentSession, "performed_at"), "practitioner", "clinic"]
    list_filter = ["technique"]
    date_hierarchy = "performed_at"
    list_select_related = ["patient", "practitioner", "clinic"]
    raw_id_fields = ["patient", "practitioner", "recorded_by"]
    inlines = [SessionAreaInline, SessionProductInline]
