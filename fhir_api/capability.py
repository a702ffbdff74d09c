"""What this FHIR server does, as its CapabilityStatement (`/fhir/metadata`): FHIR R4 in JSON, each
resource type read by id, the four record types searched by the parameters `kinds` gives them."""

from django.utils.translation import gettext as _

from .http import FHIR_JSON
from .kinds import KINDS
from .search import DEFAULT_COUNT, MAX_COUNT

# The day this statement last changed: FHIR asks for one.
CHANGED_ON = "2026-12-07"


def _resource(resource_type: str, kind) -> dict:
    interactions = [{"code": "read"}]
    if kind.search is None:
        return {"type": resource_type, "interaction": interactions}
    return {
        "type": resource_type,
        "interaction": [*interactions, {"code": "search-type"}],
        "searchParam": [
            {"name": name, "type": parameter.type, "documentation": str(parameter.documentation)}
            for name, parameter in kind.search.parameters.items()
        ],
    }


def capability_statement(base_url: str) -> dict:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": CHANGED_ON,
        "publisher": "Recovery Desk",
        "kind": "instance",
        "software": {"name": "Recovery Desk"},
        "implementation": {"description": _("Recovery Desk's FHIR API, read-only"), "url": base_url},
        "fhirVersion": "4.0.1",
        "format": [FHIR_JSON, "json"],
        "rest": [
            {
                "mode": "server",
                "documentation": _(
                    "Read-only. A search takes only the parameters listed (400 for any other, unless the "
                    "request says Prefer: handling=lenient); a date without a time zone is a day on the "
                    "clinic's clock; answers come %(default)s resources a page (_count, at most %(most)s), "
                    "with a next link."
                )
                % {"default": DEFAULT_COUNT, "most": MAX_COUNT},
                "security": {
                    "cors": False,
                    "description": _(
                        "Send the API token a manager of the clinic created, with the read scope: "
                        "Authorization: Bearer <token>. The token reads its own clinic's record only."
                    ),
                },
                "resource": [_resource(resource_type, kind) for resource_type, kind in KINDS.items()],
            }
        ],
    }
