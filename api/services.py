"""Writes for API tokens: creating one (its secret shown once), revoking it, counting each request."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.models import Clinic
from clinics.scoping import managed_clinic_ids_of
from trail.services import token_request_log

from . import keys
from .models import TOKEN_NAME_MAX_LENGTH, ApiToken, Scope

NAME_NEEDED = _("Give the token a name: the system that will use it, e.g. “Booking sync”.")
NAME_TOO_LONG = _("Keep the name to %(max)s characters.")
SCOPE_NEEDED = _("Choose at least one scope.")
UNKNOWN_SCOPE = _("Choose scopes from the list.")
EXPIRY_PASSED = _("Choose an expiry date from today onwards.")
EXPIRY_TOO_FAR = _("A token lasts at most %(days)s days: choose an expiry date up to %(last)s.")
NOT_A_MANAGER = _("Only a manager of the clinic can create or revoke its API tokens.")
ALREADY_REVOKED = _("This token is already revoked.")


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    # Shown to the manager once, then forgotten: only its digest is stored.
    secret: str


def last_expiry_day(*, clinic: Clinic, now: datetime | None = None) -> date:
    return timezone.localdate(now or timezone.now(), clinic.zone) + timedelta(days=settings.API_TOKEN_MAX_DAYS)


def _expiry_problem(expires_on: date, *, clinic: Clinic, now: datetime) -> str | None:
    if expires_on < timezone.localdate(now, clinic.zone):
        return str(EXPIRY_PASSED)
    last = last_expiry_day(clinic=clinic, now=now)
    if expires_on > last:
        return str(EXPIRY_TOO_FAR % {"days": settings.API_TOKEN_MAX_DAYS, "last": last.isoformat()})
    return None


def _token_errors(*, clinic: Clinic, name: str, scopes: list[str], expires_on: date, now) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [str(NAME_NEEDED)]
    elif len(name.strip()) > TOKEN_NAME_MAX_LENGTH:
        errors["name"] = [str(NAME_TOO_LONG % {"max": TOKEN_NAME_MAX_LENGTH})]
    if not scopes:
        errors["scopes"] = [str(SCOPE_NEEDED)]
    elif not set(scopes) <= set(Scope.values):
        errors["scopes"] = [str(UNKNOWN_SCOPE)]
    if problem := _expiry_problem(expires_on, clinic=clinic, now=now):
        errors["expires_on"] = [problem]
    return errors


def api_token_create(
    *, clinic: Clinic, name: str, scopes: list[str], expires_on: date, created_by, now: datetime | None = None
) -> NewToken:
    """A token for one clinic, working until the end of `expires_on` on the clinic's calendar."""
    if clinic.pk not in managed_clinic_ids_of(created_by):
        raise ValidationError(str(NOT_A_MANAGER))
    now = now or timezone.now()
    errors = _token_errors(clinic=clinic, name=name, scopes=scopes, expires_on=expires_on, now=now)
    if errors:
        raise ValidationError(errors)
    prefix, secret = keys.new_secret()
    token = ApiToken.objects.create(
        clinic=clinic,
        name=name.strip(),
        prefix=prefix,
        digest=keys.digest_of(secret),
        # In the list's order, whatever order they were ticked in.
        scopes=[scope for scope in Scope.values if scope in scopes],
        expires_at=datetime.combine(expires_on + timedelta(days=1), time.min, tzinfo=clinic.zone),
        created_by=created_by,
        created_at=now,
    )
    return NewToken(token=token, secret=secret)


def api_token_revoke(*, token: ApiToken, revoked_by, now: datetime | None = None) -> ApiToken:
    """The token stops working at once; it stays listed, with who revoked it and when."""
    if token.clinic_id not in managed_clinic_ids_of(revoked_by):
        raise ValidationError(str(NOT_A_MANAGER))
    now = now or timezone.now()
    # Conditional, so that two managers revoking at once leave the first one's name.
    if not ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now, revoked_by=revoked_by):
        raise ValidationError(str(ALREADY_REVOKED))
    token.revoked_at, token.revoked_by = now, revoked_by
    return token


@transaction.atomic
def api_token_request_record(
    *, token: ApiToken, method: str, path: str, status_code: int, patient_id=None, at: datetime | None = None
) -> None:
    """Count a request made with the token and write it to the trail. Counted in the database, so
    that requests answered at once by several processes are all counted."""
    ApiToken.objects.filter(pk=token.pk).update(use_count=F("use_count") + 1, last_used_at=at or timezone.now())
    token_request_log(token=token, method=method, path=path, status_code=status_code, patient_id=patient_id)
