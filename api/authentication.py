"""How a request from another system proves which clinic's token it holds: `Authorization: Bearer <token>`.

Every refusal says why in plain words. A request with a token that is revoked or expired is written to
the trail too: someone still holds it.
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from . import selectors, services

NO_TOKEN = _("Send an API token in the Authorization header: “Authorization: Bearer <token>”.")
NOT_BEARER = _("Give the API token as “Authorization: Bearer <token>”.")
UNKNOWN_TOKEN = _("This API token is not known. Check that it was copied whole, or ask a manager for a new one.")
REVOKED = _("This API token was revoked on %(date)s. Ask a manager of the clinic for a new one.")
EXPIRED = _("This API token expired on %(date)s. Ask a manager of the clinic for a new one.")


def _on_clinic_clock(moment, token) -> str:
    return date_format(timezone.localtime(moment, token.clinic.zone), "j F Y H:i")


class BearerTokenAuthentication(BaseAuthentication):
    """The token's clinic is the request's whole scope (`request.auth.clinic`); `request.user` is the
    manager who created it, whom what it writes is recorded under."""

    def authenticate(self, request):
        header = request.headers.get("Authorization", "")
        if not header:
            raise AuthenticationFailed(NO_TOKEN)
        keyword, _space, secret = header.partition(" ")
        if keyword.lower() != "bearer" or not secret.strip():
            raise AuthenticationFailed(NOT_BEARER)
        token = selectors.api_token_for(secret=secret.strip())
        if token is None:
            raise AuthenticationFailed(UNKNOWN_TOKEN)
        now = timezone.now()
        refusal = None
        if token.revoked_at is not None:
            refusal = REVOKED % {"date": _on_clinic_clock(token.revoked_at, token)}
        elif token.expires_at <= now:
            refusal = EXPIRED % {"date": _on_clinic_clock(token.expires_at, token)}
        if refusal:
            services.api_token_request_record(
                token=token, method=request.method, path=request.get_full_path(), status_code=401, at=now
            )
            raise AuthenticationFailed(refusal)
        return token.created_by, token

    def authenticate_header(self, request) -> str:
        # Makes refusals 401 rather than 403, with the scheme to use.
        return 'Bearer realm="api"'


class OptionalBearerTokenAuthentication(BearerTokenAuthentication):
    """Where staff signed in to the site may read too (the FHIR API): a request without the header holds
    no token, and the next authenticator decides. A header that is there is judged as above."""

    def authenticate(self, request):
        if not request.headers.get("Authorization"):
            return None
        return super().authenticate(request)
