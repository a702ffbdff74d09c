"""A manager opens "Report this event" on a confirmed complication and finds the Yellow Card, the
MedWatch 3500 and the ANSM declaration filled from the record: the patient named by initials and a
local id, dates in each country's order, ticks as ☒ and ☐, what the record cannot know said so."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from clinics.models import Role
from trail.models import RecordView
from vigilance.models import EventDetails
from vigilance.pack import complication_for_pack, facts_of
from vigilance.regulator_forms import report_form

from ..factories import MembershipFactory, UserFactory

NAMES = ("Hannah", "Whitlock")


def items(form) -> dict:
    """Each item by its label (and number), as a copy page shows it."""
    return {(item.number + " " + item.label).strip(): item for section in form.sections for item in section.items}


def every_text(form) -> str:
    return " ".join(
        f"{item.label} {item.value} " + " ".join(str(tick) for tick in item.ticks)
        for section in form.sections
        for item in section.items
    )


@pytest.fixture
def forms(serious_complication, mary):
    complication = complication_for_pack(user=mary, complication_id=serious_complication.pk)
    facts = facts_of(complication, reporter=mary)
    return {code: report_form(facts, code) for code in ("mhra", "fda", "ansm")}


def pack_url(complication, name="pack", *args):
    return reverse(f"vigilance:{name}", args=[complication.pk, *args])


def test_the_yellow_card_names_the_patient_by_initials_and_age_at_the_reaction(forms):
    card = items(forms["mhra"])

    assert card["Patient initials"].value == "HW"
    assert card["Age (at time of reaction)"].value == "35 years"
    assert card["Identification number (your practice or hospital ref)"].value.startswith("RD-")
    assert [str(tick) for tick in card["Sex"].ticks] == ["☐ M", "☒ F"]
    assert card["Lot or batch number"].value == "HB-001"
    assert card["Expiry date"].value == "15/09/2027"
    assert card["UDI device identifier (GTIN)"].value == "09506000134369"
    assert card["Date reaction(s) started"].value == "04/03/2026"
    assert card["Date reaction(s) stopped"].value == "12/03/2026"
    assert card["Known allergies"].value == "Lidocaine"
    assert "☒ Involved or prolonged inpatient hospitalisation" in [
        str(tick) for tick in card["If yes, please indicate why the reaction is considered to be serious"].ticks
    ]
    assert forms["mhra"].version.startswith("MHRA Yellow Card – adverse incident involving a medical device")
    for name in NAMES:
        assert name not in every_text(forms["mhra"])


def test_medwatch_follows_the_3500_of_february_2019_with_american_dates(forms):
    medwatch = items(forms["fda"])

    assert forms["fda"].version == "Form FDA 3500 (2/19)"
    assert medwatch["A1 Patient identifier (in confidence)"].value.startswith("HW RD-")
    assert medwatch["B3 Date of event"].value == "03/04/2026"
    assert medwatch["E4 Lot #"].value == "HB-001"
    assert medwatch["E4 Expiration date"].value == "09/15/2027"
    assert medwatch["E4 Unique identifier (UDI) #: device identifier (GTIN)"].value == "09506000134369"
    assert medwatch["E4 Catalog #"].value == "DL-HB15"
    outcome = [str(tick) for tick in medwatch["B2 Outcome attributed to adverse event (check all that apply)"].ticks]
    assert "☒ Hospitalization – initial or prolonged" in outcome
    assert "☐ Life-threatening" in outcome
    assert (
        "Allergies: Lidocaine"
        in medwatch[
            "B7 Other relevant history, including preexisting medical conditions (e.g., allergies, pregnancy)"
        ].value
    )
    for name in NAMES:
        assert name not in every_text(forms["fda"])


def test_the_ansm_declaration_reads_in_the_forms_french_words(forms, client_for, mary, serious_complication):
    ansm = forms["ansm"]
    declaration = items(ansm)

    assert [section.title for section in ansm.sections] == [
        "Émetteur du signalement",
        "Dispositif mis en cause",
        "Fabricant et distributeur",
        "Circonstances de survenue",
        "Conséquences cliniques constatées",
    ]
    assert declaration["N° de lot"].value == "HB-001"
    assert declaration["Date de péremption"].value == "15/09/2027"
    assert declaration["Âge au moment de l'incident"].value == "35 ans"
    assert declaration["Distributeur / fournisseur"].value == "Dermalab UK"
    assert declaration["Évolution"].value == "Guérison sans séquelle"
    assert "☒ Hospitalisation ou prolongation d'hospitalisation" in [str(t) for t in declaration["Gravité"].ticks]
    # Nothing recorded says whether the maker was told, so the form does not say no.
    assert declaration["Le fabricant a-t-il été informé ?"].missing
    # An English reader sees the declaration's words all the same.
    page = client_for(mary).get(pack_url(serious_complication, "form", "ansm")).content.decode()
    assert "Circonstances de survenue" in page


def test_the_narrative_tells_the_timeline_in_order_without_the_name(forms):
    narrative = items(forms["mhra"])["Please describe the reaction(s) and any treatment given"].value

    session = narrative.index("On 02/03/2026 the patient was treated (nappage) on the face, neck with Hydra Boost")
    report = narrative.index("On 04/03/2026 (day 2 after the session) the patient reported at a check-in: ")
    confirmed = narrative.index("A clinician confirmed infection")
    assert session < report < confirmed
    assert "redness (severe)" in narrative
    assert "swelling (moderate)" in narrative
    assert "The patient asked to be called." in narrative
    assert "“HW says it is hot”" in narrative
    assert "HW admitted two nights" in narrative
    assert "resolved on 12/03/2026 (8 days after the onset)" in narrative
    for name in NAMES:
        assert name not in narrative


def test_what_the_record_cannot_know_is_shown_missing_until_the_manager_gives_it(
    client_for, mary, serious_complication, forms
):
    assert items(forms["fda"])["A4 Weight (kg)"].value == "Not recorded"
    assert items(forms["fda"])["A4 Weight (kg)"].missing

    response = client_for(mary).post(
        pack_url(serious_complication),
        {"weight_kg": "62.5", "height_cm": "168", "ethnicity": "White British", "relevant_history": "Rosacea"},
    )

    assert response.status_code == 302
    page = client_for(mary).get(pack_url(serious_complication, "form", "fda")).content.decode()
    assert "62.5" in page
    assert "Rosacea" in page
    details = EventDetails.objects.get()
    assert (details.weight_kg, details.height_cm, details.updated_by) == (Decimal("62.5"), 168, mary)


@pytest.mark.parametrize(
    ("field", "value"),
    [("weight_kg", "5"), ("weight_kg", "heavy"), ("height_cm", "900"), ("ethnicity", "x" * 101)],
)
def test_the_details_form_refuses_bad_input_and_changes_nothing(client_for, mary, serious_complication, field, value):
    client = client_for(mary)
    client.post(pack_url(serious_complication), {"weight_kg": "62.5", "ethnicity": "White British"})

    response = client.post(pack_url(serious_complication), {"weight_kg": "70", "ethnicity": "Asian", field: value})

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    # What was typed is kept to correct, not lost.
    assert f'value="{value}"' in response.content.decode()
    details = EventDetails.objects.get()
    assert (details.weight_kg, details.ethnicity) == (Decimal("62.5"), "White British")


def test_a_practitioner_cannot_open_the_pack(client_for, alice, serious_complication):
    client = client_for(alice)

    for url in (
        pack_url(serious_complication),
        pack_url(serious_complication, "form", "mhra"),
        pack_url(serious_complication, "pdf", "fda"),
    ):
        assert client.get(url).status_code == 403
    assert client.post(pack_url(serious_complication), {"weight_kg": "60"}).status_code == 403
    assert not EventDetails.objects.exists()
    assert not RecordView.objects.exists()


def test_another_clinics_manager_finds_nothing(client_for, riverside, serious_complication):
    rita = UserFactory(username="rita")
    MembershipFactory(user=rita, clinic=riverside, role=Role.MANAGER)
    client = client_for(rita)

    for url in (
        pack_url(serious_complication),
        pack_url(serious_complication, "form", "ansm"),
        pack_url(serious_complication, "pdf", "ansm"),
    ):
        assert client.get(url).status_code == 404
    assert client.post(pack_url(serious_complication), {"weight_kg": "60"}).status_code == 404
    assert not EventDetails.objects.exists()


def test_an_unknown_form_is_not_found(client_for, mary, serious_complication):
    assert client_for(mary).get(pack_url(serious_complication, "form", "who")).status_code == 404


def test_every_pack_page_copy_page_and_pdf_opened_is_in_the_trail(client_for, mary, serious_complication, hannah):
    client = client_for(mary)
    urls = [
        pack_url(serious_complication),
        pack_url(serious_complication, "form", "mhra"),
        pack_url(serious_complication, "pdf", "ansm"),
    ]

    for url in urls:
        assert client.get(url).status_code == 200

    assert (
        list(RecordView.objects.filter(user=mary, patient=hannah).order_by("pk").values_list("path", flat=True)) == urls
    )


@pytest.mark.parametrize(
    ("code", "version", "date"),
    [
        ("mhra", "MHRA Yellow Card", "15/09/2027"),
        ("fda", "Form FDA 3500 (2/19)", "09/15/2027"),
        ("ansm", "Cerfa n° 10246", "15/09/2027"),
    ],
)
def test_each_pdf_names_its_form_version_and_prints_ticks_without_the_name(
    client_for, mary, serious_complication, code, version, date
):
    response = client_for(mary).get(pack_url(serious_complication, "pdf", code))

    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert version in text
    assert "☒" in text
    assert "☐" in text
    assert "HB-001" in text
    assert date in text
    for name in NAMES:
        assert name not in text


def test_the_pack_and_copy_pages_read_in_a_bounded_number_of_queries(
    client_for, mary, serious_complication, django_assert_max_num_queries
):
    client = client_for(mary)
    client.get(pack_url(serious_complication))

    with django_assert_max_num_queries(25):
        assert client.get(pack_url(serious_complication)).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(pack_url(serious_complication, "form", "fda")).status_code == 200


def test_managers_find_report_this_event_on_the_session_page_and_practitioners_do_not(
    client_for, mary, alice, serious_complication
):
    session_url = serious_complication.recovery.session.get_absolute_url()
    link = pack_url(serious_complication)

    assert link in client_for(mary).get(session_url).content.decode()
    assert link not in client_for(alice).get(session_url).content.decode()


def test_the_pack_leads_to_the_suspect_lots_notice_and_to_the_event_as_fhir(client_for, mary, serious_complication):
    batch = serious_complication.suspects.get().session_product.batch

    page = client_for(mary).get(pack_url(serious_complication)).content.decode()

    assert reverse("vigilance:batch_notice", args=[batch.pk]) in page
    assert "Notice to the manufacturer of Hydra Boost, lot HB-001" in page
    assert reverse("vigilance:fhir_bundle", args=[serious_complication.pk]) in page


def test_the_ansm_form_is_filled_in_french_for_an_english_reader_and_the_yellow_card_in_english(
    client_for, mary, serious_complication
):
    client = client_for(mary)

    ansm = client.get(pack_url(serious_complication, "form", "ansm")).content.decode()
    yellow_card = client.get(pack_url(serious_complication, "form", "mhra")).content.decode()

    assert "Diagnostic confirmé par un praticien" in ansm
    assert "A clinician confirmed" in yellow_card
