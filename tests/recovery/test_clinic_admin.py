from django.urls import reverse

from clinics.models import Clinic


def test_a_superuser_creating_a_clinic_in_the_admin_gives_it_the_default_catalogue(client_for, admin_user):
    client_for(admin_user).post(
        reverse("admin:clinics_clinic_add"),
        {
            "name": "Seaside Skin",
            "phone": "+44 1273 960000",
            "time_zone": "Europe/London",
            "country": "GB",
            "language": "en-gb",
            "check_in_days": "[1, 2, 4, 7, 14]",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    clinic = Clinic.objects.get(name="Seaside Skin")
    assert clinic.reaction_types.count() == 7
    assert clinic.red_flag_questions.count() == 9
