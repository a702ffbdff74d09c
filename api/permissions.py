"""What a token may do: reading needs the read scope, anything else the write scope."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import ApiToken, Scope

MISSING_SCOPE = _("This API token does not have the “%(scope)s” scope. A manager can create one that has.")


class TokenScope(BasePermission):
    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return False
        needed = Scope.READ if request.method in SAFE_METHODS else Scope.WRITE
        if token.allows(needed):
            return True
        self.message = MISSING_SCOPE % {"scope": needed.value}
        return False
