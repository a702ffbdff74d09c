"""A stand-in for the API's per-clinic tokens: `Authorization: Bearer <secret>` gives the request the
token's clinic and scopes as `request.auth`, and the manager who created it as `request.user`."""

from dataclasses import dataclass

from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

ISSUED: dict = {}


@dataclass
class Token:
    clinic_id: object
    scopes: list
    created_by: object


class TokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        keyword, _space, secret = request.headers.get("Authorization", "").partition(" ")
        if keyword != "Bearer":
            return None
        token = ISSUED.get(secret)
        if token is None:
            raise AuthenticationFailed("This API token is not known.")
        return token.created_by, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
