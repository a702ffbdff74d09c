from django.urls import reverse

from clinics.models import Clinic


def edit_url(clinic):
    return reverse("recovery:clinic_settings_edit", args=[clinic.pk])


def test_manager_changes_the_check_in_schedule(client_for, mary, harbour):
    response = client_for(mary).post(
        edit_url(harbour),
        {"phone": "+44 20 7946 0999", "country": "GB", "language": "en-gb", "check_in_days": "3, 1, 10"},
    )

    assert response.status_code == 302
    harbour.refresh_from_db()
    assert (harbour.phone, harbour.check_in_days) == ("+44 20 7946 0999", [1, 3, 10])


def test_a_schedule_that_is_not_days_is_refused(client_for, mary, harbour):
    response = client_for(mary).post(edit_url(harbour), {"phone": "+44 20", "check_in_days": "1, tomorrow"})

    assert response.context["form"].errors["check_in_days"] == ["Give whole numbers of days, separated by commas."]
    assert Clinic.objects.get(pk=harbour.pk).check_in_days == [1, 2, 4, 7, 14]


def test_a_day_out_of_range_is_refused(client_for, mary, harbour):
    response = client_for(mary).post(edit_url(harbour), {"phone": "+44 20", "check_in_days": "0, 400"})

    assert response.context["form"].errors["check_in_days"] == ["Each day must be between 1 and 90."]


def test_practitioner_cannot_change_clinic_settings(client_for, alice, harbour):
    assert client_for(alice).post(edit_url(harbour), {"phone": "1", "check_in_days": "1"}).status_code == 403
    assert Clinic.objects.get(pk=harbour.pk).phone == "+44 20 7946 0101"


def test_manager_cannot_change_another_clinic(client_for, mary, riverside):
    assert client_for(mary).post(edit_url(riverside), {"phone": "1", "check_in_days": "1"}).status_code == 404
