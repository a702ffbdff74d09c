"""The FHIR API's endpoints: the CapabilityStatement, a resource read by id, a search. Each checks
who may read what (`access`), reads through the selectors, and writes every patient it shows to the
trail."""

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from .access import readable_clinic_ids, reads_log
from .bundles import search_links, searchset
from .capability import capability_statement
from .http import FhirView
from .kinds import KINDS
from .outcomes import not_found
from .search import CURSOR, search_of
from .selectors import search_page


def _patients_read(kind, rows) -> list:
    return [patient for patient in map(kind.patient_of, rows) if patient is not None]


def _lenient(request) -> bool:
    preferences = request.headers.get("Prefer", "")
    return "handling=lenient" in [preference.strip() for preference in preferences.split(",")]


class Metadata(FhirView):
    """What the server does; open to all, as FHIR clients read it before they sign in. It holds no record."""

    def get(self, request):
        return Response(capability_statement(request.build_absolute_uri(reverse("fhir_api:base"))))


class Read(FhirView):
    def get(self, request, resource_type, resource_id):
        clinic_ids = readable_clinic_ids(request)
        kind = KINDS.get(resource_type)
        key = kind.key(resource_id) if kind else None
        row = None if key is None else kind.rows(clinic_ids).filter(pk=key).first()
        if row is None:
            raise not_found()
        resource = kind.build([row])[0]
        # A lot is a Device, a Medication or a Substance, whichever its product is: asked as another, it is not there.
        if resource["resourceType"] != resource_type:
            raise not_found()
        reads_log(request, _patients_read(kind, [row]))
        return Response(resource)


class Search(FhirView):
    def get(self, request, resource_type):
        clinic_ids = readable_clinic_ids(request)
        kind = KINDS.get(resource_type)
        if kind is None:
            raise not_found()
        if kind.search is None:
            raise NotFound(_("%(type)s is read by id here, not searched.") % {"type": resource_type})
        query = [(name, value) for name, values in request.query_params.lists() for value in values]
        search = search_of(query, kind.search.parameters, lenient=_lenient(request))
        page = search_page(kind.search, kind.rows(clinic_ids), search, clinic_ids=clinic_ids, key=kind.key)
        resources = kind.build(page.rows)
        reads_log(request, _patients_read(kind, page.rows))
        base = request.build_absolute_uri(reverse("fhir_api:base"))
        here = request.query_params.get(CURSOR)
        links = search_links(f"{base}{resource_type}", search, here=here, next_cursor=page.next_cursor)
        return Response(
            searchset(resources=resources, total=page.total, base=base, links=links, ignored=search.ignored)
        )


class Elsewhere(FhirView):
    """Any other address under the API's: the server's base (FHIR's search of every type), an
    operation or a history, none of which this server offers."""

    def get(self, request, *args, **kwargs):
        raise NotFound(_("This FHIR server has nothing at this address: its metadata lists what it offers."))
