"""The recovery app's models, one module per thing a reader looks for; imported from here by Django
and by callers."""

from recovery.photo_models import PhotoSource, PhotoUpload, UploadState

from .catalogue import CatalogueQuerySet, ReactionKind, ReactionType, RedFlagQuestion
from .notifications import Notification, NotificationKind
from .outreach import CheckIn, CheckInStatus, GuideMessage, GuideStatus
from .photos import DiscardedFile, Photo, PhotoQuerySet
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
    "DiscardedFile",
    "FollowUp",
    "FollowUpAction",
    "GuideMessage",
    "GuideStatus",
    "Notification",
    "NotificationKind",
    "Photo",
    "PhotoQuerySet",
    "PhotoSource",
    "PhotoUpload",
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
    "UploadState",
    "needs_someone",
    "status_is",
]
