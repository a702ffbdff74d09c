"""The patients of a dry run: the same number updates or skips; the same name and birth date under
another number is a question for a person (the same patient, or a namesake born the same day)."""

from collections import defaultdict

from patients.models import Patient

from . import messages
from .accepted import folded
from .columns import PATIENT_FIELDS
from .dry_run import DryRun, Line, same
from .plan import Action, SamePersonQuestion
from .selectors import stored_ids


def _stored_value(patient: Patient, name: str):
    value = getattr(patient, name)
    return value.as_e164 if name == "phone" and value else value


def patients_checked(run: DryRun, lines: list[Line]) -> None:
    ids = stored_ids(clinic=run.clinic, kind="patients", external_ids=(line.values["external_id"] for line in lines))
    stored = Patient.objects.filter(clinic=run.clinic).only(*PATIENT_FIELDS)
    by_id = {str(patient.pk): patient for patient in stored.filter(pk__in=ids.values())}
    namesakes = defaultdict(list)
    births = {line.values["date_of_birth"] for line in lines if line.values.get("date_of_birth")}
    for patient in stored.filter(date_of_birth__in=births).exclude(pk__in=ids.values()):
        namesakes[(folded(patient.first_name), folded(patient.last_name), patient.date_of_birth)].append(patient)
    first_lines: dict[str, int] = {}
    for line in lines:
        external_id = line.values.get("external_id")
        if external_id in first_lines:
            first_line = first_lines[external_id]
            run.refuse(
                "patients", line, "external_id", messages.TWICE_IN_FILE, value=external_id, first_line=first_line
            )
            continue
        if external_id:
            first_lines[external_id] = line.number
        if line.refused:
            continue
        existing_id = ids.get(external_id)
        if existing_id:
            patient = by_id[existing_id]
            unchanged = all(same(_stored_value(patient, name), line.values.get(name)) for name in PATIENT_FIELDS)
            run.row("patients", line, Action.SKIP if unchanged else Action.UPDATE, existing_id)
            continue
        run.row("patients", line, Action.CREATE)
        key = (folded(line.values["first_name"]), folded(line.values["last_name"]), line.values["date_of_birth"])
        for namesake in namesakes.get(key, [])[:1]:
            run.plan.questions.append(
                SamePersonQuestion(
                    line=line.number,
                    external_id=external_id,
                    first_name=line.values["first_name"],
                    last_name=line.values["last_name"],
                    date_of_birth=line.values["date_of_birth"].isoformat(),
                    existing_patient_id=str(namesake.pk),
                    existing_name=namesake.full_name,
                )
            )
