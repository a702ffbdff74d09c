"""gunicorn's settings, read from this file when gunicorn starts in this directory. Its own logs
(the access log when asked for, "Error handling request <path>") go through the app's filter,
since they quote request paths, and a check-in link's path holds its token."""

import os

# Sync workers, each serving one request at a time: about two per core on the machine serving. Every
# request is short (photos are decoded by the Celery worker, not here), so a handful carry a clinic.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# A request still running after 30 s is stuck (a hung database, a lost lock): its worker is killed
# and replaced, rather than every worker ending up stuck in turn.
timeout = 30
graceful_timeout = 30
# Each worker is replaced after about a thousand requests, at staggered moments, so memory a long
# life accumulates (image and PDF libraries, fragmentation) is handed back without all restarting at once.
max_requests = 1000
max_requests_jitter = 100
# No page of the app needs a longer request line or more or larger headers: anything past these
# is refused by gunicorn before Django reads it (414 or 400).
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190

_redacted_to = {"class": "logging.StreamHandler", "formatter": "generic", "filters": ["redact"]}

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "clinic.redaction.RedactingFilter"}},
    "formatters": {"generic": {"format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s"}},
    "handlers": {
        "console": {**_redacted_to, "stream": "ext://sys.stdout"},
        "error_console": {**_redacted_to, "stream": "ext://sys.stderr"},
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["error_console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
