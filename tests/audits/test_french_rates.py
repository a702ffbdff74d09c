"""Rates read as French writes them: a no-break space before the percent sign."""

import re

from django.urls import reverse

from ..factories import TreatmentSessionFactory


def test_a_french_manager_reads_rates_with_a_space_before_the_percent_sign(client_for, mary, alice, harbour_patient):
    TreatmentSessionFactory(patient=harbour_patient, practitioner=alice)
    client = client_for(mary)

    french = client.get(reverse("audits:index"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    english = client.get(reverse("audits:index"), HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()

    assert re.search(r"\d,\d\xa0%", french)
    assert not re.search(r"\d,\d%", french)
    assert re.search(r"\d\.\d%", english)
