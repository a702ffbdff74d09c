from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clinics.scoping import managed_clinic_ids_of, require_manager
from treatments.models import TreatmentSession

from . import selectors, services
from .forms import CloseForm, ComplicationForm, FollowUpForm, ReactionTypeForm, RedFlagQuestionForm, ReportEntry
from .models import ReactionType, Recovery, RedFlagQuestion


def _session_and_recovery(request, session_id) -> tuple[TreatmentSession, Recovery]:
    session = get_object_or_404(
        TreatmentSession.objects.visible_to(request.user).select_related("clinic", "patient"), pk=session_id
    )
    return session, get_object_or_404(Recovery, session=session)


@require_http_methods(["GET", "POST"])
def report_create(request, session_id):
    session, _recovery = _session_and_recovery(request, session_id)
    entry = ReportEntry(request.POST or None, session=session)
    if request.method == "POST" and entry.is_valid():
        try:
            services.report_create(
                **entry.service_arguments(), source=services.ReportSource.STAFF, recorded_by=request.user
            )
        except ValidationError as error:
            entry.add_service_errors(error)
        else:
            messages.success(request, _("Report recorded."))
            return redirect(session)
    return render(request, "recovery/report_form.html", {"session": session, "entry": entry})


@require_http_methods(["GET", "POST"])
def follow_up_create(request, session_id):
    session, recovery = _session_and_recovery(request, session_id)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.follow_up_create(recovery=recovery, recorded_by=request.user, **form.cleaned_data)
        messages.success(request, _("Follow-up recorded."))
        return redirect(session)
    return render(request, "recovery/follow_up_form.html", {"session": session, "form": form})


@require_http_methods(["GET", "POST"])
def complication_create(request, session_id):
    session, recovery = _session_and_recovery(request, session_id)
    form = ComplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.complication_record(recovery=recovery, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                for message in field_messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Complication recorded."))
            return redirect(session)
    return render(request, "recovery/complication_form.html", {"session": session, "form": form})


@require_http_methods(["GET", "POST"])
def recovery_close(request, session_id):
    session, recovery = _session_and_recovery(request, session_id)
    if not services.can_close(recovery):
        messages.info(request, _("This recovery is already closed."))
        return redirect(session)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.recovery_close(recovery=recovery, closed_by=request.user, **form.cleaned_data)
        except ValidationError:
            messages.info(request, _("This recovery is already closed."))
        else:
            messages.success(request, _("Recovery closed."))
        return redirect(session)
    return render(request, "recovery/close_form.html", {"session": session, "form": form})


def catalogue_index(request):
    require_manager(request.user)
    clinic_ids = managed_clinic_ids_of(request.user)
    return render(
        request,
        "recovery/catalogue.html",
        {
            "reaction_types": selectors.catalogue_of(clinic_ids=clinic_ids),
            "red_flags": RedFlagQuestion.objects.filter(clinic_id__in=clinic_ids).select_related("clinic"),
        },
    )


@require_http_methods(["GET", "POST"])
def reaction_type_edit(request, pk):
    require_manager(request.user)
    reaction_type = get_object_or_404(ReactionType.objects.managed_by(request.user).select_related("clinic"), pk=pk)
    form = ReactionTypeForm(request.POST or None, instance=reaction_type)
    if request.method == "POST" and form.is_valid():
        services.reaction_type_update(reaction_type=form.instance, changed_by=request.user)
        messages.success(request, _("%(reaction)s updated.") % {"reaction": reaction_type.staff_label})
        return redirect("recovery:catalogue")
    history = selectors.change_history(item=reaction_type)
    return render(request, "recovery/catalogue_form.html", {"form": form, "item": reaction_type, "history": history})


@require_http_methods(["GET", "POST"])
def red_flag_edit(request, pk):
    require_manager(request.user)
    question = get_object_or_404(RedFlagQuestion.objects.managed_by(request.user).select_related("clinic"), pk=pk)
    form = RedFlagQuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        services.red_flag_question_update(question=form.instance, changed_by=request.user)
        messages.success(request, _("Red-flag question updated."))
        return redirect("recovery:catalogue")
    history = selectors.change_history(item=question)
    return render(request, "recovery/catalogue_form.html", {"form": form, "item": question, "history": history})
