"""What became of one channel (e-mail or text) of one message: the words the rules, the outbox and
the pages share. Pure: no model, no database."""

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Reach(models.TextChoices):
    """What became of one channel (e-mail or text) of one message to the patient."""

    SENT = "sent", gettext_lazy("sent")
    # Handed over whole, and the other side never confirmed it: it may have reached the patient.
    UNCONFIRMED = "unconfirmed", gettext_lazy("possibly sent")
    REFUSED = "refused", gettext_lazy("refused")
    STOPPED = "stopped", gettext_lazy("the patient replied STOP")
    # Every attempt failed for a reason that might have passed, until the message was given up.
    NO_ANSWER = "no_answer", gettext_lazy("not taken in time")
    MISSING = "missing", gettext_lazy("none given")
    NOT_MOBILE = "not_mobile", gettext_lazy("cannot receive texts")


REACHED = (Reach.SENT, Reach.UNCONFIRMED)


def reach_problems(*, email: str, text: str) -> str:
    """Why neither channel reached the patient, in a few words, a channel the patient has none of
    left out when the other says more."""
    words = {
        ("email", Reach.REFUSED): _("e-mail address refused"),
        ("email", Reach.NO_ANSWER): _("the mail server did not take it in time"),
        ("text", Reach.REFUSED): _("number refused"),
        ("text", Reach.STOPPED): _("the patient replied STOP to texts"),
        ("text", Reach.NO_ANSWER): _("the text provider did not take it in time"),
        ("text", Reach.NOT_MOBILE): _("the number cannot receive texts"),
    }
    problems = [str(word) for word in (words.get(("email", email)), words.get(("text", text))) if word]
    return "; ".join(problems) or str(_("no e-mail address or mobile number"))
