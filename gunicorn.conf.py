"""gunicorn's settings, read from this file when gunicorn starts in this directory. Its own logs
(the access log when asked for, "Error handling request <path>") go through the app's filter,
since they quote request paths, and a check-in link's path holds its token."""

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
