"""Every refusal of the FHIR API as an OperationOutcome, with the status FHIR gives it: 400 for a
search that cannot be run, 401 without a token or sign-in, 403 for a token that may not read, 404
for a resource that is not there or is another clinic's (the same answer: an id says nothing of
whose it is), 405 for anything but reading, 406 for a format other than JSON."""

from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler

from .search import SearchError

# FHIR's issue types (http://hl7.org/fhir/issue-type), by status.
ISSUE_TYPE = {
    status.HTTP_400_BAD_REQUEST: "invalid",
    status.HTTP_401_UNAUTHORIZED: "login",
    status.HTTP_403_FORBIDDEN: "forbidden",
    status.HTTP_404_NOT_FOUND: "not-found",
    status.HTTP_405_METHOD_NOT_ALLOWED: "not-supported",
    status.HTTP_406_NOT_ACCEPTABLE: "not-supported",
    status.HTTP_429_TOO_MANY_REQUESTS: "throttled",
}


def outcome(text: str, *, severity: str = "error", code: str = "processing") -> dict:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "details": {"text": str(text)}}],
    }


def not_found() -> exceptions.NotFound:
    return exceptions.NotFound(_("There is no such resource here, or it is not yours to read."))


def outcome_handler(exc, context):
    """DRF's handler decides the status and headers (WWW-Authenticate, Retry-After); the body is an
    OperationOutcome with the refusal's message. Anything else is an error of ours: a 500."""
    if isinstance(exc, SearchError):
        exc = exceptions.ParseError(str(exc))
    response = exception_handler(exc, context)
    if response is not None:
        response.data = outcome(response.data["detail"], code=ISSUE_TYPE.get(response.status_code, "processing"))
    return response


def ignored_outcome(names: list[str]) -> dict:
    """What a lenient search left out, for the client to see in the bundle."""
    return outcome(
        _("These search parameters were ignored: %(names)s.") % {"names": ", ".join(names)},
        severity="warning",
        code="not-supported",
    )
