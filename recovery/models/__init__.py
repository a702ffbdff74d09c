"""The recovery app's models, one module per thing a reader looks for; imported from here by Django
and by callers."""

from .catalogue import CatalogueQuerySet, ReactionKind, ReactionType, RedFlagQuestion
from .notifications import Notification, NotificationKind
from .outreach import CheckIn, CheckInStatus, GuideMessage, GuideStatus
from .recoveries import (
    UNANSWERED_CALLS,
    CloseOutcome,
    Complication,
    ComplicationOutcome,
    ComplicationType,
    FollowUp,
    FollowUpAction,
    Recovery,
    RecoveryQuerySet,
    RulesApplied,
    needs_someone,
    status_is,
)
from .reports import ReactionReport, RedFlagAnswer, ReportedReaction, ReportSource
from .tallies import AuditTally, TallyDay, TallyDimension

__all__ = [
    "UNANSWERED_CALLS",
    "AuditTally",
    "CatalogueQuerySet",
    "CheckIn",
    "CheckInStatus",
    "CloseOutcome",
    "Complication",
    "ComplicationOutcome",
    "ComplicationType",
    "FollowUp",
    "FollowUpAction",
    "GuideMessage",
    "GuideStatus",
    "Notification",
    "NotificationKind",
    "ReactionKind",
    "ReactionReport",
    "ReactionType",
    "Recovery",
    "RecoveryQuerySet",
    "RedFlagAnswer",
    "RedFlagQuestion",
    "ReportSource",
    "ReportedReaction",
    "RulesApplied",
    "TallyDay",
    "TallyDimension",
    "needs_someone",
    "status_is",
]
