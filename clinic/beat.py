"""What beat starts, and how often: the sweeps and relays that keep no work waiting on a request."""

CELERY_BEAT_SCHEDULE = {
    "send-due-check-ins": {"task": "checkins.tasks.send_due_check_ins", "schedule": 60.0},
    "relay-notification-emails": {"task": "recovery.tasks.relay_notification_emails", "schedule": 60.0},
    "relay-guides": {"task": "checkins.tasks.relay_guides", "schedule": 60.0},
    "relay-photo-uploads": {"task": "photos.tasks.relay_photo_uploads", "schedule": 60.0},
    "relay-discarded-files": {"task": "photos.tasks.relay_discarded_files", "schedule": 5 * 60.0},
    "sweep-recoveries": {"task": "checkins.tasks.sweep_recoveries", "schedule": 15 * 60.0},
    "relay-exports": {"task": "audits.tasks.relay_exports", "schedule": 5 * 60.0},
    "fail-stuck-imports": {"task": "imports.tasks.fail_stuck_imports", "schedule": 5 * 60.0},
    "remind-late-reports": {"task": "vigilance.tasks.remind_late_reports", "schedule": 60 * 60.0},
    "relay-webhooks": {"task": "webhooks.tasks.relay_webhooks", "schedule": 60.0},
}
