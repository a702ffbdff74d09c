from trail.history import changes_of
from trail.models import RecordView
from trail.services import record_view_log


def test_opening_a_record_is_logged_with_the_page_cut_to_its_field(mary, harbour_patient):
    record_view_log(user=mary, patient=harbour_patient, path="/patients/" + "x" * 400)

    view = RecordView.objects.get()
    assert (view.user, view.patient, len(view.path)) == (mary, harbour_patient, 300)


def test_an_items_changes_read_newest_first_with_field_labels(harbour, mary):
    redness = harbour.reaction_types.get(code="redness")
    redness.fades_by_hours = 72
    redness._history_user = mary
    redness.save()

    latest, created = changes_of(item=redness)

    assert (latest.who, latest.created) == (str(mary), False)
    assert latest.changes == [("should fade by (hours after the session)", 48, 72)]
    assert created.created
