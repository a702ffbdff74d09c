from operator import attrgetter

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format

from .scoping import is_manager, managed_clinic_ids_of


def clinic_time_column(model, field_name: str, *, clinic: str = "clinic"):
    """A list column of a record's time on its own clinic's clock, its zone named: one list holds the
    records of clinics in several zones, and the request runs on one clinic's clock only.

    `clinic` is the path from the record to its clinic, e.g. "session.clinic".
    """
    clinic_of = attrgetter(clinic)

    @admin.display(description=model._meta.get_field(field_name).verbose_name, ordering=field_name)
    def column(record):
        moment = getattr(record, field_name)
        if moment is None:
            return None
        zone = clinic_of(record).zone
        return f"{date_format(timezone.localtime(moment, zone), 'DATETIME_FORMAT')} ({zone.key})"

    column.__name__ = field_name  # the column's class in the page
    return column


class ManagedClinicAdmin(admin.ModelAdmin):
    """Admin pages a manager may use for their own clinics' records only.

    `clinic_lookup` is the path from the model to its clinic's id.
    """

    clinic_lookup = "clinic_id"

    def clinic_of(self, obj):
        return attrgetter(self.clinic_lookup.removesuffix("_id").replace("__", "."))(obj)

    def _is_manager(self, request) -> bool:
        return request.user.is_superuser or is_manager(request.user)

    def has_module_permission(self, request):
        return self._is_manager(request)

    def has_view_permission(self, request, obj=None):
        return self._is_manager(request)

    def has_add_permission(self, request):
        return self._is_manager(request)

    def has_change_permission(self, request, obj=None):
        return self._is_manager(request)

    def has_delete_permission(self, request, obj=None):
        # Records are traced by batch and audited: only the operator may delete.
        return request.user.is_superuser

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.clinic_lookup}__in": managed_clinic_ids_of(request.user)})

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reading one past version changes nothing, but reverting to it would bypass the
        # services that keep recoveries right: only a superuser may even look at it.
        if not request.user.is_superuser or request.method != "GET":
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)

    def history_view(self, request, object_id, extra_context=None):
        # django-simple-history shows history of objects outside the queryset: scope it too.
        try:
            obj = self.get_queryset(request).filter(pk=object_id).first()
        except (ValueError, ValidationError):
            obj = None
        if obj is None:
            raise Http404
        with timezone.override(self.clinic_of(obj).zone):
            return super().history_view(request, object_id, extra_context=extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        response = super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)
        if obj is None:
            return response
        # Drawn now, on the record's clinic's clock: left to the handler, it would be drawn on the reader's.
        with timezone.override(self.clinic_of(obj).zone):
            return response.render()

    def get_readonly_fields(self, request, obj=None):
        # A record never moves to another clinic once saved.
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and "clinic" in [f.name for f in self.model._meta.fields]:
            readonly.append("clinic")
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and not request.user.is_superuser:
            related_admin = self.admin_site._registry.get(db_field.related_model)
            if isinstance(related_admin, ManagedClinicAdmin):
                field.queryset = related_admin.get_queryset(request)
            elif db_field.name == "clinic":
                field.queryset = field.queryset.filter(pk__in=managed_clinic_ids_of(request.user))
        return field


class ReadOnlyClinicAdmin(ManagedClinicAdmin):
    """Records written only through the app's own forms, so that its rules always apply."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
