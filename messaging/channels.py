"""The outbox columns shared by every message to a patient (a check-in, a recovery guide): what
became of each channel, when to try again, and when sending was given up."""

import secrets
import string

from django.db import models
from django.utils.translation import gettext_lazy as _

from .reach import Reach

# A check-in link's code: 62 ** 12 (about 3 × 10²¹) codes, drawn by `secrets`, so a code cannot be
# guessed however many are tried; short enough for the link to leave a text its one segment.
CODE_ALPHABET = string.ascii_letters + string.digits
CODE_LENGTH = 12


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Channels(models.Model):
    """A channel with no result yet is still to be tried; one with a result is never sent again,
    whether it reached the patient, may have (`Reach.UNCONFIRMED`), or was refused."""

    email_result = models.CharField(_("e-mail"), max_length=12, choices=Reach.choices, blank=True)
    text_result = models.CharField(_("text message"), max_length=12, choices=Reach.choices, blank=True)
    # The other side's own words for a refusal (an SMTP or HTTP status, a provider's error code).
    refusal = models.CharField(max_length=100, blank=True)
    # After a failure that may pass (a server down, busy or slow), not tried again before this.
    retry_at = models.DateTimeField(null=True, blank=True)
    # When sending was given up with no channel having reached the patient.
    given_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def possibly_sent(self) -> bool:
        """Reached the patient only by a channel that never confirmed it."""
        results = {self.email_result, self.text_result}
        return Reach.UNCONFIRMED in results and Reach.SENT not in results
