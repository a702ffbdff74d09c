"""The regulators' forms of the report pack, by the recipient they go to."""

from django.http import Http404
from django.utils import translation

from .forms_fr import ansm
from .forms_uk import yellow_card
from .forms_us import medwatch
from .models import Recipient
from .pack import Facts, ReportForm

BUILDERS = {Recipient.MHRA: yellow_card, Recipient.FDA: medwatch, Recipient.ANSM: ansm}
# Each form is filled in its regulator's language, whoever reads it: the values (the narrative, the
# routes, the treatments) are typed into that regulator's own form.
LANGUAGES = {Recipient.MHRA: "en-gb", Recipient.FDA: "en", Recipient.ANSM: "fr"}


def report_form(facts: Facts, code: str) -> ReportForm:
    if code not in BUILDERS:
        raise Http404
    with translation.override(LANGUAGES[code]):
        return BUILDERS[code](facts)
