"""The face chart's zones: named parts of the diagrams, each within one of the session's areas.

Pure data, no model: the session's chart, a report's marks and the rules read zones by code. The
diagrams are drawn for this product (static/charts/<diagram>.svg); each zone there is the element
whose `data-zone` is its code. Left and right are the patient's own, as a clinician charts them.
A session logged before zones were charted treated every zone of its areas.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Area


class Diagram:
    FACE_FRONT = "face_front"
    FACE_LEFT = "face_left"
    FACE_RIGHT = "face_right"
    NECK_DECOLLETAGE = "neck_decolletage"
    SCALP = "scalp"
    HANDS = "hands"


DIAGRAMS = {
    Diagram.FACE_FRONT: _("Face, from the front"),
    Diagram.FACE_LEFT: _("Face, left profile"),
    Diagram.FACE_RIGHT: _("Face, right profile"),
    Diagram.NECK_DECOLLETAGE: _("Neck and décolletage"),
    Diagram.SCALP: _("Scalp, from above"),
    Diagram.HANDS: _("Backs of the hands"),
}


@dataclass(frozen=True)
class Zone:
    code: str
    label: str
    area: str
    diagrams: tuple[str, ...]


FRONT_AND_BOTH_SIDES = (Diagram.FACE_FRONT, Diagram.FACE_LEFT, Diagram.FACE_RIGHT)
FRONT_AND_LEFT = (Diagram.FACE_FRONT, Diagram.FACE_LEFT)
FRONT_AND_RIGHT = (Diagram.FACE_FRONT, Diagram.FACE_RIGHT)

ZONES = {
    zone.code: zone
    for zone in (
        Zone("forehead", _("Forehead"), Area.FACE, FRONT_AND_BOTH_SIDES),
        Zone("glabella", _("Glabella (between the brows)"), Area.FACE, (Diagram.FACE_FRONT,)),
        Zone("temple_left", _("Left temple"), Area.FACE, FRONT_AND_LEFT),
        Zone("temple_right", _("Right temple"), Area.FACE, FRONT_AND_RIGHT),
        Zone("periorbital_left", _("Around the left eye"), Area.FACE, FRONT_AND_LEFT),
        Zone("periorbital_right", _("Around the right eye"), Area.FACE, FRONT_AND_RIGHT),
        Zone("nose", _("Nose"), Area.FACE, FRONT_AND_BOTH_SIDES),
        Zone("cheek_left", _("Left cheek"), Area.FACE, FRONT_AND_LEFT),
        Zone("cheek_right", _("Right cheek"), Area.FACE, FRONT_AND_RIGHT),
        Zone("nasolabial_left", _("Left nasolabial fold"), Area.FACE, FRONT_AND_LEFT),
        Zone("nasolabial_right", _("Right nasolabial fold"), Area.FACE, FRONT_AND_RIGHT),
        Zone("lips", _("Lips"), Area.FACE, FRONT_AND_BOTH_SIDES),
        Zone("perioral", _("Around the mouth"), Area.FACE, FRONT_AND_BOTH_SIDES),
        Zone("chin", _("Chin"), Area.FACE, FRONT_AND_BOTH_SIDES),
        Zone("jawline_left", _("Left jawline"), Area.FACE, FRONT_AND_LEFT),
        Zone("jawline_right", _("Right jawline"), Area.FACE, FRONT_AND_RIGHT),
        Zone("neck_front", _("Front of the neck"), Area.NECK, (Diagram.NECK_DECOLLETAGE,)),
        Zone("neck_left", _("Left side of the neck"), Area.NECK, (Diagram.NECK_DECOLLETAGE, Diagram.FACE_LEFT)),
        Zone("neck_right", _("Right side of the neck"), Area.NECK, (Diagram.NECK_DECOLLETAGE, Diagram.FACE_RIGHT)),
        Zone("decolletage", _("Décolletage"), Area.DECOLLETAGE, (Diagram.NECK_DECOLLETAGE,)),
        Zone("scalp_frontal", _("Front of the scalp"), Area.SCALP, (Diagram.SCALP,)),
        Zone("scalp_crown", _("Crown"), Area.SCALP, (Diagram.SCALP,)),
        Zone("scalp_temporal_left", _("Left side of the scalp"), Area.SCALP, (Diagram.SCALP,)),
        Zone("scalp_temporal_right", _("Right side of the scalp"), Area.SCALP, (Diagram.SCALP,)),
        Zone("scalp_occipital", _("Back of the scalp"), Area.SCALP, (Diagram.SCALP,)),
        Zone("hand_back_left", _("Back of the left hand"), Area.HANDS, (Diagram.HANDS,)),
        Zone("hand_back_right", _("Back of the right hand"), Area.HANDS, (Diagram.HANDS,)),
    )
}

# Where a colour change means a vessel feeding the eye may be blocked: an emergency, not a wait.
NEAR_THE_EYE = frozenset({"glabella", "periorbital_left", "periorbital_right", "temple_left", "temple_right", "nose"})


def zones_of_area(area: str) -> list[str]:
    return [code for code, zone in ZONES.items() if zone.area == area]


def zones_of_diagram(diagram: str) -> list[str]:
    return [code for code, zone in ZONES.items() if diagram in zone.diagrams]


def treated_zones(*, areas, zones) -> frozenset[str]:
    """The zones a session treated: those charted, else (logged before the chart) all of its areas'."""
    if zones:
        return frozenset(zones)
    return frozenset(code for area in areas for code in zones_of_area(area))


def diagrams_for(areas) -> list[str]:
    """The diagrams that show these areas, in the catalogue's order."""
    wanted = {diagram for area in areas for code in zones_of_area(area) for diagram in ZONES[code].diagrams}
    return [diagram for diagram in DIAGRAMS if diagram in wanted]
