"""The MHRA Yellow Card, filled from the record: the medicines card when the suspect is a medicine,
the medical device report otherwise. Labels are the card's own English words, quoted rather than
translated, since the reader looks for them on the MHRA's form; dates are dd/mm/yyyy."""

from django.utils import translation

from recovery.models import Outcome
from treatments.models import RegulatoryStatus

from .narrative import narrative_of
from .pack import Facts, ReportForm, Section, Writer

DATE_FORMAT = "%d/%m/%Y"
MEDICINE_VERSION = "MHRA Yellow Card – suspected adverse drug reactions (Commission on Human Medicines card)"
DEVICE_VERSION = "MHRA Yellow Card – adverse incident involving a medical device (Yellow Card online report)"
# The card's four outcome boxes; what fits none is written beside "Other".
CARD_OUTCOMES = [
    ("Recovered", {Outcome.RECOVERED}),
    ("Recovering", {Outcome.RECOVERING}),
    ("Continuing", {Outcome.NOT_RECOVERED}),
    ("Other", {Outcome.RECOVERED_WITH_SEQUELAE, Outcome.FATAL, Outcome.UNKNOWN}),
]
OTHER_OUTCOMES = {
    Outcome.RECOVERED_WITH_SEQUELAE: "Recovered with sequelae",
    Outcome.FATAL: "Fatal",
    Outcome.UNKNOWN: "Unknown",
}


def _is_medicine(facts: Facts) -> bool:
    suspects = facts.suspects or facts.lines
    return bool(suspects) and all(line.regulatory_status == RegulatoryStatus.MEDICINE for line in suspects)


def _patient(facts: Facts, w: Writer) -> Section:
    details, sex = facts.details, facts.sex
    return Section(
        "",
        "Patient details",
        (
            w.item("", "Patient initials", facts.initials),
            w.item("", "Sex", ticks=w.ticks([("M", sex == "male"), ("F", sex == "female")]))
            if sex in ("male", "female")
            else w.item("", "Sex", "Other" if sex else ""),
            w.item("", "Ethnicity", details.ethnicity if details else ""),
            w.item("", "Weight if known (kg)", details.weight_kg if details else ""),
            w.item("", "Height if known (cm)", details.height_cm if details else ""),
            w.item("", "Age (at time of reaction)", f"{facts.age_at_reaction} years"),
            w.item("", "Identification number (your practice or hospital ref)", facts.local_id),
        ),
    )


def _suspects(facts: Facts, w: Writer, *, medicine: bool) -> Section:
    items = []
    for number, line in enumerate(facts.suspects, start=1):
        mark = f"#{number}" if len(facts.suspects) > 1 else ""
        items += [
            w.item(mark, "Drug (brand if known)" if medicine else "Brand or trade name", line.brand),
            w.item(mark, "Common name", line.common_name),
            w.item(mark, "Manufacturer", line.manufacturer),
            w.item(mark, "Batch" if medicine else "Lot or batch number", line.lot),
            w.item(mark, "Expiry date", w.date(line.expiry)),
        ]
        if not medicine:
            items += [
                w.item(mark, "Catalogue or model number", line.catalogue_reference),
                w.item(mark, "UDI device identifier (GTIN)", line.gtin),
            ]
        items += [
            w.item(mark, "Route", line.route_label),
            w.item(mark, "Dosage", f"{line.volume_ml} mL, single session"),
            w.item(mark, "Date started" if medicine else "Date of use", w.date(facts.session_on)),
        ]
        if medicine:
            items.append(w.item(mark, "Date stopped", w.date(facts.session_on)))
        items += [
            w.item(mark, "Prescribed for" if medicine else "Used for", facts.indication()),
            w.item(mark, "Causality (reporter's assessment)", line.causality_label),
        ]
    if not items:
        items.append(w.item("", "Suspect product", ""))
    return Section("", "Suspected drug(s)" if medicine else "Suspected device", tuple(items))


def _reaction(facts: Facts, w: Writer) -> Section:
    complication = facts.complication
    serious = set(complication.seriousness)
    significant = serious & {"serious_medically_significant", "serious_intervention"}
    return Section(
        "",
        "Suspected reaction(s)",
        (
            w.item(
                "",
                "Please describe the reaction(s) and any treatment given",
                narrative_of(facts, date_format=DATE_FORMAT),
                long=True,
            ),
            w.item(
                "",
                "Outcome",
                OTHER_OUTCOMES.get(complication.outcome, ""),
                ticks=w.ticks([(label, complication.outcome in codes) for label, codes in CARD_OUTCOMES]),
            ),
            w.item("", "Date reaction(s) started", w.date(facts.onset_on)),
            w.item("", "Date reaction(s) stopped", w.date(complication.resolved_on)),
            w.item(
                "",
                "Do you consider the reactions to be serious?",
                ticks=w.ticks([("Yes", complication.is_serious), ("No", not complication.is_serious)]),
            ),
            w.item(
                "",
                "If yes, please indicate why the reaction is considered to be serious",
                ticks=w.ticks(
                    [
                        ("Patient died due to reaction", "serious_death" in serious),
                        ("Involved or prolonged inpatient hospitalisation", "serious_hospitalisation" in serious),
                        ("Life threatening", "serious_life_threatening" in serious),
                        (
                            "Involved persistent or significant disability or incapacity",
                            "serious_disability" in serious,
                        ),
                        ("Congenital abnormality", False),
                        ("Medically significant", bool(significant)),
                    ]
                ),
            ),
            w.item(
                "",
                "Medically significant: details",
                "Intervention needed to prevent permanent harm" if "serious_intervention" in serious else "",
            )
            if significant
            else None,
        ),
    )


def _others(facts: Facts, w: Writer) -> Section:
    details, used = facts.details, w.date(facts.session_on)
    session_products = (
        "; ".join(
            f"{line.brand}, batch {line.lot}, {line.route_label.lower()}, {line.volume_ml} mL, {used}"
            for line in facts.others
        )
        or "None"
    )
    return Section(
        "",
        "Other drug(s) (including self-medication and complementary remedies)",
        (
            w.item(
                "",
                "Other medicines taken in the last 3 months prior to the reaction",
                details.concomitant_medicines if details else "",
                long=True,
            ),
            w.item("", "Other products used in the same session", session_products),
        ),
    )


def _additional(facts: Facts, w: Writer) -> Section:
    details = facts.details
    return Section(
        "",
        "Additional relevant information",
        (
            w.item("", "Medical history", details.relevant_history if details else "", long=True),
            w.item("", "Known allergies", facts.allergies),
            w.item("", "Severity (CTCAE v5)", facts.complication.get_grade_display() or ""),
        ),
    )


def _reporter(facts: Facts, w: Writer) -> Section:
    reporter, clinic, clinician = facts.reporter, facts.clinic, facts.complication.recorded_by
    return Section(
        "",
        "Reporter details",
        (
            w.item("", "Name", reporter.get_full_name() or reporter.username),
            w.item("", "Professional address", "\n".join(filter(None, [clinic.name, clinic.address]))),
            w.item("", "Tel no", clinic.phone),
            w.item("", "Email", reporter.email),
            w.item("", "Speciality", ""),
            w.item("", "Date", w.date(facts.today)),
            w.item(
                "",
                "Clinician (if not the reporter)",
                (clinician.get_full_name() or clinician.username) if clinician.pk != reporter.pk else "The reporter",
            ),
        ),
    )


def yellow_card(facts: Facts) -> ReportForm:
    medicine = _is_medicine(facts)
    with translation.override("en-gb"):
        w = Writer(missing="Not recorded", date_format=DATE_FORMAT)
        sections = [
            _patient(facts, w),
            _suspects(facts, w, medicine=medicine),
            _reaction(facts, w),
            _others(facts, w),
            _additional(facts, w),
            _reporter(facts, w),
        ]
    return ReportForm(
        code="mhra",
        title="Yellow Card",
        version=MEDICINE_VERSION if medicine else DEVICE_VERSION,
        language="en-gb",
        date_format=DATE_FORMAT,
        date_format_label="dd/mm/yyyy",
        sections=tuple(
            Section(section.number, section.title, tuple(item for item in section.items if item))
            for section in sections
        ),
    )
