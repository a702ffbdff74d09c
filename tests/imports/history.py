"""A plan as the import's checks hand it to the writer, built by hand for the writer's tests."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

SOURCE = "Old clinic system"


def patient_row(number: str, **values) -> dict:
    return {
        "action": "create",
        "external_id": number,
        "first_name": "Ada",
        "last_name": f"Patient {number}",
        "date_of_birth": date(1980, 3, 1),
        "sex": "",
        "email": f"patient{number}@example.com",
        "phone": "",
        "language": "",
        "consents_to_check_ins": True,
        "consents_to_photos": False,
        "sensitivities": "",
        **values,
    }


def product_row(**values) -> dict:
    return {
        "action": "create",
        "name": "Hydra booster",
        "manufacturer": "Dermalab",
        "kind": "hyaluronic_acid",
        "gtin": "03760123450019",
        "common_name": "",
        "regulatory_status": "medical_device",
        "route": "intradermal",
        "catalogue_reference": "",
        "active_ingredients": "",
        **values,
    }


def batch_row(lot: str = "LOT-A", *, expiry: date = date(2030, 1, 1), **values) -> dict:
    return {
        "action": "create",
        "product_gtin": "03760123450019",
        "product_name": "",
        "product_manufacturer": "",
        "lot_number": lot,
        "expiry_date": expiry,
        "supplier": "",
        "received_on": date(2020, 1, 1),
        **values,
    }


def session_row(number: str, patient: str, performed_at: datetime, practitioner, *, lot: str = "LOT-A", **values):
    return {
        "action": "create",
        "external_id": number,
        "patient_external_id": patient,
        "performed_at": performed_at,
        "practitioner_email": practitioner.email,
        "technique": "nappage",
        "technique_other": "",
        "areas": ["face", "neck"],
        "notes": "",
        "products": [
            {
                "product_gtin": "03760123450019",
                "product_name": "",
                "product_manufacturer": "",
                "lot_number": lot,
                "volume_ml": Decimal("1.50"),
            }
        ],
        **values,
    }


def reaction_row(session: str, reported_at: datetime, *, reaction: str = "", severity=None, red_flag: str = ""):
    return {
        "action": "create",
        "session_external_id": session,
        "reported_at": reported_at,
        "reaction": reaction,
        "severity": severity,
        "red_flag": red_flag,
        "note": "",
    }


def complication_row(session: str, onset_at: datetime, **values) -> dict:
    return {
        "action": "create",
        "session_external_id": session,
        "complication_type": "nodule",
        "onset_at": onset_at,
        "grade": 2,
        "seriousness": [],
        "outcome": "recovered",
        "resolved_on": None,
        "treatments_given": [],
        "note": "",
        **values,
    }


def days_ago(days: float) -> datetime:
    return timezone.now() - timedelta(days=days)


def history_plan(practitioner, *, sessions: int = 3, start_days_ago: int = 400) -> dict:
    """One patient per session, one product and batch, sessions a week apart long ago."""
    return {
        "source": SOURCE,
        "patients": [patient_row(f"P{n}") for n in range(sessions)],
        "products": [product_row()],
        "batches": [batch_row()],
        "sessions": [
            session_row(f"S{n}", f"P{n}", days_ago(start_days_ago - 7 * n), practitioner) for n in range(sessions)
        ],
        "reactions": [],
        "complications": [],
    }
