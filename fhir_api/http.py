"""How the FHIR API speaks HTTP: JSON as `application/fhir+json`, whatever JSON the client accepts;
refusals as OperationOutcomes; nothing kept in a cache; signed in with a clinic's API token, or as staff of the site."""

from django.contrib.auth.decorators import login_not_required
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import APIException, NotAcceptable
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from api import services as api_services
from api.authentication import OptionalBearerTokenAuthentication
from api.models import ApiToken

from .outcomes import outcome_handler
from .search import FORMAT

FHIR_JSON = "application/fhir+json"
# What a client may ask for and be answered in FHIR JSON: the types, and FHIR's `_format` shorthands.
JSON_TYPES = {FHIR_JSON, "application/json", "application/*", "*/*", "json", "fhir+json"}

JSON_ONLY = _("This server answers in FHIR JSON only: accept application/fhir+json.")


class FhirJsonRenderer(JSONRenderer):
    media_type = FHIR_JSON
    format = "json"
    charset = "utf-8"


class FhirNegotiation(BaseContentNegotiation):
    """FHIR JSON for any client that takes JSON (an `Accept` header or a `_format` parameter, which
    wins); 406 for one that takes only XML or anything else."""

    def select_parser(self, request, parsers):
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        asked = request.query_params.get(FORMAT) or request.headers.get("Accept") or FHIR_JSON
        types = {part.split(";")[0].strip().lower() for part in asked.split(",")}
        if types & JSON_TYPES:
            return renderers[0], renderers[0].media_type
        raise NotAcceptable(JSON_ONLY)


class FhirView(APIView):
    """Read-only; open to requests without a sign-in (another system's, with a token), so each view
    decides who reads what through `access.readable_clinic_ids`."""

    http_method_names = ["get", "head"]
    renderer_classes = [FhirJsonRenderer]
    content_negotiation_class = FhirNegotiation
    permission_classes = []
    # Described by its own CapabilityStatement (/fhir/metadata), as FHIR servers are, not by the REST
    # API's OpenAPI schema.
    schema = None

    @classmethod
    def as_view(cls, **initkwargs):
        return login_not_required(super().as_view(**initkwargs))

    def get_authenticators(self):
        return [OptionalBearerTokenAuthentication(), SessionAuthentication()]

    def get_authenticate_header(self, request):
        # A session has no scheme to name; a 401 names the one other systems use.
        return super().get_authenticate_header(request) or 'Bearer realm="fhir"'

    def get_exception_handler(self):
        return outcome_handler

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        try:
            token = request.auth
        except APIException:
            token = None
        if isinstance(token, ApiToken):
            # Every use of a token is counted and in the trail; the patients it read are there too.
            api_services.api_token_request_record(
                token=token, method=request.method, path=request.get_full_path(), status_code=response.status_code
            )
        return response
