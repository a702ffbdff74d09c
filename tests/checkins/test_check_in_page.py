"""The page a patient's check-in link opens: their clinic's questions in their language, every drawing
with their own treated zones shaded, whoever opened a link before them. The drawings come apart from
the page (its script fetches them), the same for everyone reading the language, kept by the browser."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from recovery import schedule
from recovery.models import ReactionType

from ..factories import PatientFactory, TreatmentSessionFactory
from .test_check_ins import SESSION_AT, at, first_check_in, link_of, send_due

DRAWINGS = re.compile(r'data-drawings="([^"]+)"')
TREATED = re.compile(r'data-diagram="([a-z_]+)" data-treated="([a-z_ ]*)"')


def treated_on(page: str) -> dict[str, set[str]]:
    return {diagram: set(zones.split()) for diagram, zones in TREATED.findall(page)}


def in_french(message: str) -> str:
    with translation.override("fr"):
        return gettext(message)


@pytest.fixture
def link_for(alice, time_machine):
    """The open check-in link of a session of a new patient, with only the zones given charted."""

    def make(*, clinic, language="en-gb", zones=(), areas=("face",)):
        time_machine.move_to(at(hours=0.1), tick=False)
        patient = PatientFactory(clinic=clinic, language=language)
        session = TreatmentSessionFactory(
            patient=patient, practitioner=alice, performed_at=SESSION_AT, areas=list(areas), zones=list(zones)
        )
        schedule.check_ins_plan(session=session)
        send_due(time_machine, at(1, hours=1))
        return link_of(first_check_in(session))

    return make


def test_each_patient_reads_the_page_drawings_and_places_in_their_own_language(client, harbour, link_for):
    french, english = link_for(clinic=harbour, language="fr"), link_for(clinic=harbour, language="en-gb")

    for _round in range(2):
        page_fr = client.get(french).content.decode()
        page_en = client.get(english).content.decode()
        drawings_fr = client.get(DRAWINGS.search(page_fr).group(1)).content.decode()
        drawings_en = client.get(DRAWINGS.search(page_en).group(1)).content.decode()

        assert in_french("How are you feeling?") in page_fr
        assert f"<figcaption>{in_french('Face, from the front')}</figcaption>" in page_fr
        assert f'<option value="lips">{in_french("Lips")}</option>' in page_fr
        assert f'<optgroup label="{in_french("Face")}">' in page_fr
        assert f"<title>{in_french('Lips')}</title>" in drawings_fr
        assert "How are you feeling?" in page_en
        assert "<figcaption>Face, from the front</figcaption>" in page_en
        assert '<option value="lips">Lips</option>' in page_en
        assert "<title>Lips</title>" in drawings_en
        assert in_french("Face, from the front") not in page_en + drawings_en


def test_every_drawing_is_shown_with_the_patients_own_treated_zones_shaded(client, harbour, link_for):
    lips = link_for(clinic=harbour, zones=["lips"])
    forehead = link_for(clinic=harbour, zones=["forehead", "glabella"])

    page_lips = client.get(lips).content.decode()
    page_forehead = client.get(forehead).content.decode()

    assert treated_on(page_lips) == {
        "face_front": {"lips"},
        "face_left": {"lips"},
        "face_right": {"lips"},
        "neck_decolletage": set(),
        "scalp": set(),
        "hands": set(),
    }
    assert treated_on(page_forehead)["face_front"] == {"forehead", "glabella"}
    assert treated_on(page_forehead)["face_left"] == {"forehead"}
    assert 'data-treated-label="%s: treated"' in page_lips


def test_the_drawings_are_the_same_for_everyone_and_kept_by_the_browser(client, harbour, link_for):
    page = client.get(link_for(clinic=harbour, zones=["lips"])).content.decode()

    response = client.get(DRAWINGS.search(page).group(1))

    drawings = response.content.decode()
    assert response.status_code == 200
    assert drawings.count('class="chart-drawing"') == 6
    assert "treated" not in drawings
    assert "Harbour" not in drawings
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_drawings_asked_for_by_a_page_of_an_earlier_version_are_the_current_ones_not_kept(client):
    response = client.get("/check-in/drawings/fr/0123456789abcdef/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert f"<title>{in_french('Lips')}</title>" in response.content.decode()
    assert client.get("/check-in/drawings/de/0123456789abcdef/").status_code == 404


def test_a_patient_sees_their_own_clinics_questions_not_another_clinics(client, harbour, riverside, link_for):
    ReactionType.objects.filter(clinic=riverside, code="redness").update(
        patient_wording="Any pinkness where the needle went in?"
    )
    harbours, riversides = link_for(clinic=harbour), link_for(clinic=riverside)

    page_harbour = client.get(harbours).content.decode()
    page_riverside = client.get(riversides).content.decode()

    assert "Any pinkness where the needle went in?" in page_riverside
    assert "Any pinkness where the needle went in?" not in page_harbour
    assert "Redness or pinkness of the skin" in page_harbour
    assert "Harbour Skin Clinic" in page_harbour
    assert "Riverside Aesthetics" not in page_harbour


def test_answers_sent_back_with_a_gap_keep_what_was_chosen_and_mark_the_gap(client, harbour, link_for):
    link = link_for(clinic=harbour, zones=["lips"])

    response = client.post(
        link,
        {
            "reaction_redness": "2",
            "where_reaction_redness": "lips",
            "point_reaction_redness": "face_front 0.5000 0.7000",
            "flag_fever": "no",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert '<input type="radio" name="reaction_redness" value="2" id="id_reaction_redness_2" checked>' in page
    assert '<option value="lips" selected>Lips</option>' in page
    assert '<input type="radio" name="flag_fever" value="no" id="id_flag_fever_0" checked>' in page
    assert '<input type="radio" name="flag_discharge" value="no" id="id_flag_discharge_0" aria-invalid="true">' in page
    assert 'value="face_front 0.5000 0.7000"' in page
