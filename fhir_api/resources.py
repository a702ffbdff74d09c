"""The resources the FHIR API answers with, built by the same builders as the event's bundle for a
regulator (`vigilance.fhir`), addressed as a server addresses them: each at `<type>/<id>`, under its
record's own id.

The Patient is the exception: the clinic's own systems read it with the clinic's token, so it names
the patient (name, date of birth, sex and the local id) where the regulator's is anonymous. It carries
no telephone or e-mail: the FHIR API serves the clinical record, and a token that leaks should not
hand out a way to reach every patient; the clinic's own booking system holds their contacts already.
"""

from vigilance.fhir import adverse_event_resource, condition_resource, detection_times
from vigilance.fhir_parts import (
    GS1_GTIN,
    Addressing,
    lot_resources,
    procedure_resource,
    product_resource,
    questionnaire_response,
)
from vigilance.fhir_parts import patient_resource as anonymous_patient_resource

ON_SERVER = Addressing(
    record_id=lambda kind, key: str(key),
    reference=lambda resource: {"reference": f"{resource['resourceType']}/{resource['id']}"},
)


def _pointer(resource_type: str, resource_id) -> dict:
    """All that a reference reads of a resource."""
    return {"resourceType": resource_type, "id": str(resource_id)}


def patients(rows) -> list[dict]:
    return [patient_resource(patient) for patient in rows]


def patient_resource(patient) -> dict:
    return {
        **anonymous_patient_resource(patient),
        "name": [
            {"use": "official", "text": patient.full_name, "family": patient.last_name, "given": [patient.first_name]}
        ],
        "birthDate": patient.date_of_birth.isoformat(),
    }


def _product_code(product) -> dict:
    code = {"text": product.name}
    if product.gtin:
        code["coding"] = [{"system": GS1_GTIN, "code": product.gtin}]
    return code


def procedures(rows) -> list[dict]:
    return [procedure(session) for session in rows]


def procedure(session) -> dict:
    """The session, its lots referenced and, so that a reader need not fetch them, its products named."""
    resource = procedure_resource(
        session,
        patient=_pointer("Patient", session.patient_id),
        products=list(lot_resources(session).values()),
        addressing=ON_SERVER,
    )
    products = {line.batch.product_id: line.batch.product for line in session.products_used.all()}
    return {**resource, "usedCode": [_product_code(product) for product in products.values()]}


def questionnaire_responses(reports) -> list[dict]:
    return [
        questionnaire_response(
            report,
            patient=_pointer("Patient", report.session.patient_id),
            zone=report.session.clinic.zone,
            addressing=ON_SERVER,
        )
        for report in reports
    ]


def adverse_events(complications) -> list[dict]:
    detected = detection_times(complications)
    events = []
    for complication in complications:
        session = complication.recovery.session
        events.append(
            adverse_event_resource(
                complication,
                patient=_pointer("Patient", session.patient_id),
                procedure=_pointer("Procedure", session.pk),
                products=lot_resources(session),
                condition=_pointer("Condition", ON_SERVER.record_id("condition", complication.pk)),
                detected=detected[complication.pk],
                addressing=ON_SERVER,
            )
        )
    return events


def conditions(complications) -> list[dict]:
    return [
        condition_resource(
            complication, patient=_pointer("Patient", complication.recovery.session.patient_id), addressing=ON_SERVER
        )
        for complication in complications
    ]


def lots(batches) -> list[dict]:
    return [product_resource(batch) for batch in batches]
