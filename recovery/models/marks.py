"""Where on the face chart a patient had a reaction, as they or staff marked it."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .catalogue import ReactionType, RedFlagQuestion
from .reports import ReactionReport


class ReactionMark(models.Model):
    """One reaction (or a red flag answered yes) marked on a diagram of `treatments.chart`: a zone,
    and where the mark was tapped, relative to the diagram (0 to 1 across and down; empty when the
    zone was chosen from the list).

    `treated_zones` is the session's treated zones when the mark was made: a mark is judged against
    the chart as it stood then, so correcting the chart later never clears what the mark raised.
    """

    report = models.ForeignKey(ReactionReport, on_delete=models.CASCADE, related_name="marks")
    reaction_type = models.ForeignKey(ReactionType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    red_flag = models.ForeignKey(RedFlagQuestion, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    diagram = models.CharField(_("diagram"), max_length=30)
    zone = models.CharField(_("zone"), max_length=30)
    x = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    y = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    treated_zones = models.JSONField(default=list, editable=False)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reaction_type__isnull=True, red_flag__isnull=False)
                | Q(reaction_type__isnull=False, red_flag__isnull=True),
                name="mark_is_of_a_reaction_or_a_flag",
            ),
            models.UniqueConstraint(fields=["report", "reaction_type"], name="one_mark_per_reaction"),
            models.UniqueConstraint(fields=["report", "red_flag"], name="one_mark_per_red_flag"),
            models.CheckConstraint(
                condition=Q(x__isnull=True, y__isnull=True) | Q(x__gte=0, x__lte=1, y__gte=0, y__lte=1),
                name="mark_on_the_diagram",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reaction_type or self.red_flag}: {self.zone}"

    @property
    def code(self) -> str:
        """The reaction's or the flag's code, which the rules read."""
        return (self.reaction_type or self.red_flag).code
