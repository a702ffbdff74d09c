"""Reads for the API: a clinic's tokens for its managers, the token a request presents, and the clinic's
records as a token reads them."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet

from clinics.models import Clinic
from patients.models import Patient
from recovery.models import (
    Complication,
    FollowUp,
    ReactionReport,
    Recovery,
    RedFlagAnswer,
    ReportedReaction,
    SuspectProduct,
)
from treatments.models import Batch, SessionArea, SessionProduct, TreatmentSession

from . import keys
from .models import ApiToken


def api_tokens_of(*, clinic: Clinic) -> QuerySet:
    """The clinic's tokens, newest first, revoked and expired ones included: they stay on record."""
    return ApiToken.objects.filter(clinic=clinic).select_related("clinic", "created_by", "revoked_by")


def api_token_for(*, secret: str) -> ApiToken | None:
    """The token whose secret this is, whatever its state; None for a secret no token has."""
    prefix = keys.prefix_of(secret)
    if prefix is None:
        return None
    token = ApiToken.objects.select_related("clinic", "created_by").filter(prefix=prefix).first()
    if token is None or not keys.digests_match(token.digest, secret):
        return None
    return token


# One clinic's records, as a token reads them: each list's rows with what its answer shows, in a fixed
# number of queries whatever the number of rows.


def patients_of(*, clinic: Clinic) -> QuerySet:
    return Patient.objects.filter(clinic=clinic)


def staff_of(*, clinic: Clinic) -> QuerySet:
    return get_user_model().objects.filter(memberships__clinic=clinic)


def sessions_of(*, clinic: Clinic) -> QuerySet:
    return (
        TreatmentSession.objects.filter(clinic=clinic)
        .select_related("practitioner", "recorded_by")
        .prefetch_related(
            Prefetch("areas", queryset=SessionArea.objects.order_by("area")),
            "zones",
            Prefetch("products_used", queryset=SessionProduct.objects.select_related("batch__product")),
            "injection_points",
        )
    )


def recoveries_of(*, clinic: Clinic, now: datetime) -> QuerySet:
    """Every recovery of the clinic with its status as of `now`, as the dashboard reads it."""
    return Recovery.objects.filter(clinic=clinic).with_status(now)


def reports_of(*, clinic: Clinic) -> QuerySet:
    return (
        ReactionReport.objects.filter(clinic=clinic)
        .select_related("session", "recorded_by")
        .prefetch_related(
            Prefetch(
                "reactions",
                queryset=ReportedReaction.objects.select_related("reaction_type").order_by("reaction_type__position"),
            ),
            Prefetch(
                "red_flag_answers",
                queryset=RedFlagAnswer.objects.select_related("question").order_by("question__position"),
            ),
        )
    )


def follow_ups_of(*, clinic: Clinic) -> QuerySet:
    return FollowUp.objects.filter(recovery__clinic=clinic).select_related("recorded_by", "recovery__session")


def complications_of(*, clinic: Clinic) -> QuerySet:
    return (
        Complication.objects.filter(recovery__clinic=clinic)
        .select_related("recovery__session", "recorded_by")
        .prefetch_related(
            Prefetch("suspects", queryset=SuspectProduct.objects.select_related("session_product__batch__product"))
        )
    )


def batches_of(*, clinic: Clinic) -> QuerySet:
    return Batch.objects.filter(product__clinic=clinic).select_related("product")
