from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from clinics.admin_scoping import ManagedClinicAdmin, ReadOnlyClinicAdmin

from .models import ReactionType, Recovery, RedFlagQuestion
from .services import reaction_type_update


@admin.register(ReactionType)
class ReactionTypeAdmin(ManagedClinicAdmin, SimpleHistoryAdmin):
    list_display = ["staff_label", "kind", "fades_by_hours", "attention_after_hours", "clinic"]
    list_filter = ["kind"]
    list_select_related = ["clinic"]
    readonly_fields = ["code"]

    def save_model(self, request, obj, form, change):
        reaction_type_update(reaction_type=obj, changed_by=request.user)


@admin.register(RedFlagQuestion)
class RedFlagQuestionAdmin(ManagedClinicAdmin, SimpleHistoryAdmin):
    list_display = ["staff_label", "emergency", "clinic"]
    list_select_related = ["clinic"]
    readonly_fields = ["code"]


@admin.register(Recovery)
class RecoveryAdmin(ReadOnlyClinicAdmin):
    clinic_lookup = "session__clinic_id"
    list_display = ["session", "attention_at", "overdue_at", "closed_at"]
    list_select_related = ["session__patient"]
