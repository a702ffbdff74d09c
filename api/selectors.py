"""Reads for API tokens: a clinic's tokens for its managers, and the token a request presents."""

from django.db.models import QuerySet

from clinics.models import Clinic

from . import keys
from .models import ApiToken


def api_tokens_of(*, clinic: Clinic) -> QuerySet:
    """The clinic's tokens, newest first, revoked and expired ones included: they stay on record."""
    return ApiToken.objects.filter(clinic=clinic).select_related("created_by", "revoked_by")


def api_token_for(*, secret: str) -> ApiToken | None:
    """The token whose secret this is, whatever its state; None for a secret no token has."""
    prefix = keys.prefix_of(secret)
    if prefix is None:
        return None
    token = ApiToken.objects.select_related("clinic", "created_by").filter(prefix=prefix).first()
    if token is None or not keys.digests_match(token.digest, secret):
        return None
    return token
