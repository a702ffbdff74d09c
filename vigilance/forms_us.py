"""FDA MedWatch, Form FDA 3500 (2/19), sections A to G, filled from the record. Its item numbers
changed between versions, so each item carries this version's; labels are the form's own English
words, quoted rather than translated. Dates are mm/dd/yyyy."""

from django.utils import translation

from treatments.models import RegulatoryStatus

from .models import Recipient
from .narrative import narrative_of
from .pack import Facts, ReportForm, Section, Writer

DATE_FORMAT = "%m/%d/%Y"
VERSION = "Form FDA 3500 (2/19)"


def _patient(facts: Facts, w: Writer) -> Section:
    details, sex = facts.details, facts.sex
    return Section(
        "A",
        "Patient information",
        (
            w.item("A1", "Patient identifier (in confidence)", f"{facts.initials} {facts.local_id}"),
            w.item("A2", "Age", f"{facts.age_at_reaction} year(s)"),
            w.item("A3", "Sex", ticks=w.ticks([("Female", sex == "female"), ("Male", sex == "male")]))
            if sex in ("male", "female")
            else w.item("A3", "Sex", ""),
            w.item("A4", "Weight (kg)", details.weight_kg if details else ""),
            w.item("A5.a", "Ethnicity", details.ethnicity if details else ""),
            w.item("A5.b", "Race", ""),
        ),
    )


def _event(facts: Facts, w: Writer) -> Section:
    complication, details = facts.complication, facts.details
    serious = set(complication.seriousness)
    history = [details.relevant_history.strip()] if details and details.relevant_history.strip() else []
    if facts.allergies:
        history.append(f"Allergies: {facts.allergies}")
    death = "serious_death" in serious
    return Section(
        "B",
        "Adverse event, product problem",
        (
            w.item(
                "B1",
                "Check all that apply",
                ticks=w.ticks(
                    [
                        ("Adverse event", True),
                        ("Product problem (e.g., defects/malfunctions)", False),
                        ("Product use/medication error", False),
                        ("Problem with different manufacturer of same medicine", False),
                    ]
                ),
            ),
            w.item(
                "B2",
                "Outcome attributed to adverse event (check all that apply)",
                ("Outcome: " + complication.get_outcome_display().lower()),
                ticks=w.ticks(
                    [
                        ("Death" + (f" ({w.date(complication.resolved_on)})" if death else ""), death),
                        ("Life-threatening", "serious_life_threatening" in serious),
                        ("Hospitalization – initial or prolonged", "serious_hospitalisation" in serious),
                        ("Disability or permanent damage", "serious_disability" in serious),
                        ("Congenital anomaly/birth defects", False),
                        ("Other serious (important medical events)", "serious_medically_significant" in serious),
                        (
                            "Required intervention to prevent permanent impairment/damage (devices)",
                            "serious_intervention" in serious,
                        ),
                    ]
                ),
            ),
            w.item("B3", "Date of event", w.date(facts.onset_on)),
            w.item("B4", "Date of this report", w.date(facts.today)),
            w.item(
                "B5",
                "Describe event, problem or product use/medication error",
                narrative_of(facts, date_format=DATE_FORMAT),
                long=True,
            ),
            w.item("B6", "Relevant tests/laboratory data, including dates", ""),
            w.item(
                "B7",
                "Other relevant history, including preexisting medical conditions (e.g., allergies, pregnancy)",
                "\n".join(history),
                long=True,
            ),
        ),
    )


def _availability(w: Writer) -> Section:
    return Section(
        "C",
        "Product availability",
        (
            w.item("C1", "Product available for evaluation? (Do not send product to FDA)", ""),
            w.item("C2", "Do you have a picture of the product?", ""),
        ),
    )


def _drugs(facts: Facts, w: Writer) -> Section:
    items = []
    medicines = [line for line in facts.suspects if line.regulatory_status != RegulatoryStatus.MEDICAL_DEVICE]
    for number, line in enumerate(medicines, start=1):
        mark = f"#{number}"
        items += [
            w.item(
                f"D1 {mark}",
                "Name and strength",
                f"{line.brand} ({line.common_name})" if line.common_name else line.brand,
            ),
            w.item(f"D1 {mark}", "NDC # or unique ID", line.gtin),
            w.item(f"D1 {mark}", "Manufacturer/compounder", line.manufacturer),
            w.item(f"D1 {mark}", "Lot #", line.lot),
            w.item(
                f"D4 {mark}",
                "Dose or amount, frequency, route",
                f"{line.volume_ml} mL, once, {line.route_label.lower()}",
            ),
            w.item(f"D5 {mark}", "Dates of use (from/to)", f"{w.date(facts.session_on)} – {w.date(facts.session_on)}"),
            w.item(f"D6 {mark}", "Diagnosis or reason for use (indication)", facts.indication()),
            w.item(f"D8 {mark}", "Expiration date", w.date(line.expiry)),
        ]
    if not items:
        items.append(w.item("D", "Suspect products", "None: the suspect product is a medical device (section E)"))
    return Section("D", "Suspect products", tuple(items))


def _devices(facts: Facts, w: Writer) -> Section:
    items = []
    devices = [line for line in facts.suspects if line.regulatory_status == RegulatoryStatus.MEDICAL_DEVICE]
    for number, line in enumerate(devices, start=1):
        mark = f" #{number}" if len(devices) > 1 else ""
        items += [
            w.item(f"E1{mark}", "Brand name", line.brand),
            w.item(f"E2.a{mark}", "Common device name", line.common_name),
            w.item(f"E2.b{mark}", "Procode", ""),
            w.item(
                f"E3{mark}",
                "Manufacturer name, city and state",
                ", ".join(filter(None, [line.manufacturer, " ".join(line.manufacturer_address.split())])),
            ),
            w.item(f"E4{mark}", "Model #", ""),
            w.item(f"E4{mark}", "Lot #", line.lot),
            w.item(f"E4{mark}", "Catalog #", line.catalogue_reference),
            w.item(f"E4{mark}", "Expiration date", w.date(line.expiry)),
            w.item(f"E4{mark}", "Unique identifier (UDI) #: device identifier (GTIN)", line.gtin),
            w.item(
                f"E5{mark}",
                "Operator of device",
                ticks=w.ticks([("Health professional", True), ("Patient/consumer", False), ("Other", False)]),
            ),
            w.item(f"E6{mark}", "If implanted, give date", w.date(facts.session_on)),
        ]
    if not items:
        items.append(w.item("E", "Suspect medical device", "None: no suspect product is a medical device"))
    return Section("E", "Suspect medical device", tuple(items))


def _others(facts: Facts, w: Writer) -> Section:
    lines = [f"{line.brand}, lot {line.lot}, {line.volume_ml} mL, {w.date(facts.session_on)}" for line in facts.others]
    if facts.details and facts.details.concomitant_medicines.strip():
        lines.append(facts.details.concomitant_medicines.strip())
    return Section(
        "F",
        "Other (concomitant) medical products",
        (w.item("F", "Product names and therapy dates (exclude treatment of event)", "\n".join(lines), long=True),),
    )


def _reporter(facts: Facts, w: Writer) -> Section:
    reporter, clinic = facts.reporter, facts.clinic
    return Section(
        "G",
        "Reporter",
        (
            w.item("G1", "Name", reporter.get_full_name() or reporter.username),
            w.item("G1", "Address", "\n".join(filter(None, [clinic.name, clinic.address]))),
            w.item("G1", "Country", clinic.country),
            w.item("G1", "Phone #", clinic.phone),
            w.item("G1", "Email", reporter.email),
            w.item("G2", "Health professional?", ""),
            w.item("G3", "Occupation", ""),
            w.item(
                "G4",
                "Also reported to",
                ticks=w.ticks(
                    [
                        ("Manufacturer/compounder", Recipient.MANUFACTURER in facts.reported_to),
                        ("User facility", False),
                        ("Distributor/importer", False),
                    ]
                ),
            ),
        ),
    )


def medwatch(facts: Facts) -> ReportForm:
    with translation.override("en-gb"):
        w = Writer(missing="Not recorded", date_format=DATE_FORMAT)
        sections = (
            _patient(facts, w),
            _event(facts, w),
            _availability(w),
            _drugs(facts, w),
            _devices(facts, w),
            _others(facts, w),
            _reporter(facts, w),
        )
    return ReportForm(
        code="fda",
        title="MedWatch",
        version=VERSION,
        language="en",
        date_format=DATE_FORMAT,
        date_format_label="mm/dd/yyyy",
        sections=sections,
    )
