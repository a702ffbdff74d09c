from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from clinics.clocks import render_in_clinic_time
from clinics.forms import show_service_errors
from clinics.scoping import clinic_ids_of, clinics_of, managed_clinic_ids_of, require_manager
from patients.models import Patient
from trail.history import changes_of
from treatments.models import TreatmentSession

from . import charts, complications, dashboard_selectors, notifications, queue, reasons, selectors, services
from .filters import MINE, DashboardFilter, dashboard_params, without
from .forms import CloseForm, ComplicationForm, FollowUpForm, ReactionTypeForm, RedFlagQuestionForm
from .history import reaction_history as reaction_history_of
from .models import FollowUpAction, ReactionType, Recovery, RedFlagQuestion
from .rules import Status


def _session_and_recovery(request, session_id) -> tuple[TreatmentSession, Recovery]:
    session = get_object_or_404(
        TreatmentSession.objects.visible_to(request.user).select_related("clinic", "patient"), pk=session_id
    )
    return session, get_object_or_404(Recovery, session=session)


@require_http_methods(["GET", "POST"])
def follow_up_create(request, session_id):
    session, recovery = _session_and_recovery(request, session_id)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        follow_up = services.follow_up_create(recovery=recovery, recorded_by=request.user, **form.cleaned_data)
        if follow_up.action == FollowUpAction.CALL_NO_ANSWER:
            messages.warning(request, _("No answer: the call is counted, and the recovery still needs someone."))
        elif follow_up.action == FollowUpAction.CALL_LEFT_MESSAGE:
            messages.warning(request, _("Message left: the call is counted, and the recovery still needs someone."))
        else:
            messages.success(request, _("Follow-up recorded."))
        return redirect(session)
    context = {"session": session, "form": form, "recovery": selectors.recovery_with_calls(session=session)}
    return render_in_clinic_time(request, session.clinic, "recovery/follow_up_form.html", context)


@require_http_methods(["GET", "POST"])
def complication_create(request, session_id):
    session, recovery = _session_and_recovery(request, session_id)
    form = ComplicationForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            complications.complication_record(recovery=recovery, recorded_by=request.user, **form.service_arguments())
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Complication recorded."))
            return redirect(session)
    context = {"session": session, "form": form}
    return render_in_clinic_time(request, session.clinic, "recovery/complication_form.html", context)


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
    context = {"session": session, "form": form}
    return render_in_clinic_time(request, session.clinic, "recovery/close_form.html", context)


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
        messages.success(request, _("%(reaction)s updated.") % {"reaction": reaction_type.staff_text})
        return redirect("recovery:catalogue")
    history = changes_of(item=reaction_type)
    context = {"form": form, "item": reaction_type, "history": history}
    return render_in_clinic_time(request, reaction_type.clinic, "recovery/catalogue_form.html", context)


@require_http_methods(["GET", "POST"])
def red_flag_edit(request, pk):
    require_manager(request.user)
    question = get_object_or_404(RedFlagQuestion.objects.managed_by(request.user).select_related("clinic"), pk=pk)
    form = RedFlagQuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        services.red_flag_question_update(question=form.instance, changed_by=request.user)
        messages.success(request, _("Red-flag question updated."))
        return redirect("recovery:catalogue")
    history = changes_of(item=question)
    context = {"form": form, "item": question, "history": history}
    return render_in_clinic_time(request, question.clinic, "recovery/catalogue_form.html", context)


QUEUE_PER_PAGE = 25


FEED_VIEWS = ("queue", "open")


def _dashboard(request, now, *, view: str = "queue"):
    """Bind the filters and read everything the dashboard and its feed show.

    `queue` is the dashboard's: everyone who needs someone, and the period's other
    recoveries when a status is chosen. `open` is every recovery not yet resolved,
    whatever its session's date.
    """
    params = dashboard_params(request.GET, user=request.user, every_date=view == "open")
    in_scope = dashboard_selectors.recoveries_in_scope(user=request.user, now=now)
    filters = DashboardFilter(params, queryset=in_scope, user=request.user, now=now)
    # The counts' filters are the queue's less the status: with no status chosen, the same form, checked once.
    counted = (
        DashboardFilter(without(params, "status"), queryset=in_scope, user=request.user, now=now)
        if params.get("status")
        else filters
    )
    # Everything the filters choose but the date: whoever needs someone is counted whenever their session was.
    any_date = DashboardFilter(without(params, "status", "period"), queryset=in_scope, user=request.user, now=now)
    unfiltered_by_date = any_date.qs if counted.is_valid() else in_scope.none()
    counts = queue.status_counts(unfiltered_by_date, in_period=counted.in_period(), now=now)
    if view == "open":
        page = Paginator(dashboard_selectors.work_queue(filters.open), QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    else:
        page = dashboard_selectors.queue_page(
            filters=filters,
            unfiltered_by_date=unfiltered_by_date,
            counts=counts,
            now=now,
            number=request.GET.get("page"),
            per_page=QUEUE_PER_PAGE,
        )
    return {
        "filters": filters,
        "counted": counted,
        "counts": counts,
        "elsewhere": dashboard_selectors.needing_someone_elsewhere(in_scope, filters=counted, counts=counts, now=now),
        "page": page,
        "rows": dashboard_selectors.queue_rows(page.object_list, now=now),
        "query": without(params, "page").urlencode(),
        "query_without_status": without(params, "page", "status").urlencode(),
        "status_label": Status(filters.chosen_status).label if filters.chosen_status else "",
        "now": now,
        "params": params,
        "in_scope": in_scope,
        "unfiltered_by_date": unfiltered_by_date,
        "any_date": any_date,
    }


@vary_on_headers("HX-Request")
def dashboard(request):
    now = timezone.now()
    context = _dashboard(request, now)
    unfiltered_by_date = context["unfiltered_by_date"]
    days = dashboard_selectors.status_by_day(context["any_date"].qs, now=now, clinics=clinics_of(request.user))
    context["by_day"] = charts.stacked_by_day(days)
    context["by_day_table"] = [day for day in reversed(days) if any(day["counts"].values())]
    chart_filters = without(context["params"], "status", "period", "page")
    context["overdue_by_reaction"] = charts.horizontal_bars(
        dashboard_selectors.overdue_by_reaction_this_minute(
            unfiltered_by_date,
            now=now,
            clinic_ids=clinic_ids_of(request.user),
            filters=dict(chart_filters.lists()),
            reader_id=request.user.pk if chart_filters.get("scope") == MINE else None,
        )
    )
    # The refresh redraws the charts too, so a screen left on all day never shows two truths.
    template = "recovery/_dashboard_live.html" if request.htmx else "recovery/dashboard.html"
    return render(request, template, context)


# The feed is superseded by the REST API's recoveries (/api/v1/recoveries/, read with a clinic's token);
# it answers as before, for a staff login, until its sunset, and says so in each answer (RFC 9745, RFC 8594).
FEED_DEPRECATED_ON = "@1796601600"  # 7 December 2026
FEED_SUNSET = "Wed, 30 Jun 2027 00:00:00 GMT"


def _deprecated(response: JsonResponse) -> JsonResponse:
    response["Deprecation"] = FEED_DEPRECATED_ON
    response["Sunset"] = FEED_SUNSET
    response["Link"] = (
        f'<{reverse("api:recoveries")}>; rel="successor-version", <{reverse("api:docs")}>; rel="deprecation"'
    )
    return response


def recoveries_feed(request):
    now = timezone.now()
    view = request.GET.get("view") or "queue"
    if view not in FEED_VIEWS:
        error = {"message": _("Choose queue or open."), "code": "invalid"}
        return _deprecated(JsonResponse({"errors": {"view": [error]}}, status=400))
    context = _dashboard(request, now, view=view)
    if context["filters"].is_bound and not context["filters"].is_valid():
        return _deprecated(JsonResponse({"errors": context["filters"].errors.get_json_data()}, status=400))
    page = context["page"]
    return _deprecated(
        JsonResponse(
            {
                "generated_at": now.isoformat(),
                "view": view,
                "filters": {key: context["params"].get(key) for key in context["filters"].filters},
                "counts": context["counts"],
                "needing_someone_outside_filters": context["elsewhere"],
                "page": page.number,
                "pages": page.paginator.num_pages,
                "queue": [_feed_item(request, row, now) for row in context["rows"]],
            }
        )
    )


def _iso(moment):
    return moment.isoformat() if moment else None


def _feed_item(request, row: dashboard_selectors.QueueRow, now) -> dict:
    recovery, session = row.recovery, row.recovery.session
    waiting = row.status == Status.NEEDS_ATTENTION and not row.followed_up
    return {
        "session": str(session.pk),
        "status": row.status,
        "followed_up": row.followed_up,
        "reasons": [
            {"level": finding.level, "code": finding.code, "reason": reasons.words(finding)} for finding in row.reasons
        ],
        "needs_attention_since": _iso(recovery.attention_at) if row.status == Status.NEEDS_ATTENTION else None,
        "waiting_since": _iso(recovery.unacknowledged_at) if waiting else None,
        "overdue_since": _iso(recovery.overdue_at) if row.status == Status.OVERDUE else None,
        "deadline": _iso(row.deadline),
        "patient": session.patient.full_name,
        "session_at": session.performed_at.isoformat(),
        "days_since_session": row.days_since_session,
        "practitioner": str(session.practitioner),
        "clinic": session.clinic.name,
        "areas": [str(area) for area in session.areas.all()],
        "latest_report_at": recovery.latest_report_at.isoformat() if recovery.latest_report_at else None,
        "links": {
            "session": request.build_absolute_uri(session.get_absolute_url()),
            "report": request.build_absolute_uri(reverse("photos:report_create", args=[session.pk])),
            "follow_up": request.build_absolute_uri(reverse("recovery:follow_up_create", args=[session.pk])),
        },
    }


NOTIFICATIONS_PER_PAGE = 30


def notification_index(request):
    notifications = selectors.notifications_of(user=request.user)
    page = Paginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "recovery/notifications.html", {"page": page})


@require_http_methods(["POST"])
def notifications_mark_read(request):
    notifications.notifications_mark_read(user=request.user, notification_id=request.POST.get("notification"))
    return redirect("recovery:notifications")


@require_http_methods(["GET"])
def reaction_history(request, patient_id):
    """The patient's reactions across their series, drawn into the patient's page (htmx) or alone."""
    patient = get_object_or_404(Patient.objects.visible_to(request.user).select_related("clinic"), pk=patient_id)
    history = reaction_history_of(patient=patient)
    template = "recovery/_reaction_history.html" if request.htmx else "recovery/reaction_history.html"
    return render_in_clinic_time(request, patient.clinic, template, {"patient": patient, "history": history})
