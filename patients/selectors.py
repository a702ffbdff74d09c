from django.db.models import Count, Max, Q

from .models import Patient, PatientQuerySet


def patient_list(*, user, query: str = "") -> PatientQuerySet:
    """The user's clinics' patients, optionally narrowed by any word of their name."""
    patients = Patient.objects.visible_to(user).select_related("clinic")
    for word in query.split():
        patients = patients.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return patients.order_by("last_name", "first_name", "pk")


def with_session_summary(patients: list[Patient]) -> list[Patient]:
    """A page of patients with how many sessions each had and the latest, in one grouped query.

    Counted after paging, so the cost is a page's, not the whole clinic group's.
    """
    summary = {
        row["pk"]: row
        for row in Patient.objects.filter(pk__in=[p.pk for p in patients])
        .values("pk")
        .annotate(session_count=Count("sessions"), last_session_at=Max("sessions__performed_at"))
    }
    for patient in patients:
        patient.session_count = summary[patient.pk]["session_count"]
        patient.last_session_at = summary[patient.pk]["last_session_at"]
    return patients
