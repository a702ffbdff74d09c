from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from clinics.admin import ClinicAdmin
from clinics.admin_scoping import ManagedClinicAdmin, ReadOnlyClinicAdmin, clinic_time_column
from clinics.models import Clinic

from .clinic_settings import clinic_settings_save
from .forms import ReactionTypeForm, RedFlagQuestionForm
from .models import ReactionType, Recovery, RedFlagQuestion
from .services import catalogue_install_defaults, reaction_type_update, red_flag_question_update


@admin.register(Clinic)
class ClinicWithCatalogueAdmin(ClinicAdmin):
    def save_model(self, request, obj, form, change):
        if change:
            clinic_settings_save(form=form)
            return
        super().save_model(request, obj, form, change)
        catalogue_install_defaults(clinic=obj)


@admin.register(ReactionType)
class ReactionTypeAdmin(ManagedClinicAdmin, SimpleHistoryAdmin):
    form = ReactionTypeForm
    list_display = ["staff_label", "kind", "fades_by_hours", "attention_after_hours", "clinic"]
    list_filter = ["kind"]
    list_select_related = ["clinic"]
    readonly_fields = ["code"]

    def has_add_permission(self, request):
        # Every clinic starts with the full catalogue; the rules know no other reaction.
        return False

    def save_model(self, request, obj, form, change):
        reaction_type_update(reaction_type=obj, changed_by=request.user)


@admin.register(RedFlagQuestion)
class RedFlagQuestionAdmin(ManagedClinicAdmin, SimpleHistoryAdmin):
    form = RedFlagQuestionForm
    list_display = ["staff_label", "emergency", "clinic"]
    list_select_related = ["clinic"]
    readonly_fields = ["code"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        red_flag_question_update(question=obj, changed_by=request.user)


@admin.register(Recovery)
class RecoveryAdmin(ReadOnlyClinicAdmin):
    clinic_lookup = "session__clinic_id"
    list_display = [
        "session",
        clinic_time_column(Recovery, "attention_at", clinic="session.clinic"),
        clinic_time_column(Recovery, "overdue_at", clinic="session.clinic"),
        clinic_time_column(Recovery, "closed_at", clinic="session.clinic"),
    ]
    list_select_related = ["session__patient", "session__clinic"]
