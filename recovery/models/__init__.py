"""The recovery app's models, one module per thing a reader looks for; imported from here by Django
and by callers."""

from .catalogue import CatalogueQuerySet, ReactionKind, ReactionType, RedFlagQuestion
from .complications import (
    SERIOUSNESS,
    Causality,
    Complication,
    ComplicationType,
    Grade,
    OnsetClass,
    Outcome,
    SuspectProduct,
    TreatmentGiven,
    onset_class_of,
)
from .marks import ReactionMark
from .notifications import Notification, NotificationKind
from .outreach import CheckIn, CheckInStatus, GuideMessage, GuideStatus
from .recoveries import (
    UNANSWERED_CALLS,
    CloseOutcome,
    FollowUp,
    FollowUpAction,
    Recovery,
    RecoveryQuerySet,
    RulesApplied,
    needs_someone,
    status_is,
)
from .reports import ReactionReport, RedFlagAnswer, ReportedReaction, ReportSource
from .tallies import AuditTally, TallyDay, TallyDimension, ZoneTally

__all__ = [
    "SERIOUSNESS",
    "UNANSWERED_CALLS",
    "AuditTally",
    "CatalogueQuerySet",
    "Causality",
    "CheckIn",
    "CheckInStatus",
    "CloseOutcome",
    "Complication",
    "ComplicationType",
    "FollowUp",
    "FollowUpAction",
    "Grade",
    "GuideMessage",
    "GuideStatus",
    "Notification",
    "NotificationKind",
    "OnsetClass",
    "Outcome",
    "ReactionKind",
    "ReactionMark",
    "ReactionReport",
    "ReactionType",
    "Recovery",
    "RecoveryQuerySet",
    "RedFlagAnswer",
    "RedFlagQuestion",
    "ReportSource",
    "ReportedReaction",
    "RulesApplied",
    "SuspectProduct",
    "TallyDay",
    "TallyDimension",
    "TreatmentGiven",
    "ZoneTally",
    "needs_someone",
    "onset_class_of",
    "status_is",
]
