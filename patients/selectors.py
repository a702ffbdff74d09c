from django.db.models import Count, Max, Q

from .models import Patient, PatientQuerySet


def patient_list(*, user, query: str = "") -> PatientQuerySet:
    """The user's clinics' patients, optionally narrowed by any word of their name."""
    patients = Patient.objects.visible_to(user).select_related("clinic")
    for word in query.split():
        patients = patients.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return patients.annotate(session_count=Count("sessions"), last_session_at=Max("sessions__performed_at")).order_by(
        "last_name", "first_name", "pk"
    )
