"""The regulators' forms of the report pack, by the recipient they go to."""

from django.http import Http404

from .forms_fr import ansm
from .forms_uk import yellow_card
from .forms_us import medwatch
from .models import Recipient
from .pack import Facts, ReportForm

BUILDERS = {Recipient.MHRA: yellow_card, Recipient.FDA: medwatch, Recipient.ANSM: ansm}


def report_form(facts: Facts, code: str) -> ReportForm:
    if code not in BUILDERS:
        raise Http404
    return BUILDERS[code](facts)
