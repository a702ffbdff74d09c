"""The settings of what other systems are given (the REST API, its tokens and schema; webhooks), read
from the environment as clinic/settings.py reads the rest, which imports them by name."""

import environ

# Only the settings go into clinic/settings.py, which has its own environment and DEBUG.
__all__ = [
    "API_TOKEN_MAX_DAYS",
    "API_TOKEN_RATE",
    "IMPORT_MAX_BYTES",
    "IMPORT_MAX_ROWS",
    "REST_FRAMEWORK",
    "SPECTACULAR_SETTINGS",
    "WEBHOOK_ALLOW_LOOPBACK",
    "WEBHOOK_DISABLE_AFTER_FAILURES",
    "WEBHOOK_DISABLE_AFTER_HOURS",
    "WEBHOOK_RETRY_HOURS",
    "WEBHOOK_TIMEOUT_SECONDS",
]

env = environ.Env()
DEBUG = env.bool("DEBUG", default=False)

# The import (the imports app): a file a clinic brings from its former software is read up to this
# size and this many lines; 100,000 sessions of a few products each fit in both.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_MEGABYTES", default=50) * 1024 * 1024
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=500_000)

# Webhooks (the webhooks app): each delivery is tried again with growing waits for this many hours
# after its event; an endpoint that answered none of this many attempts in a row, over at least this
# many hours, is turned off and its clinic's managers told. A receiver has this long to answer.
WEBHOOK_RETRY_HOURS = env.int("WEBHOOK_RETRY_HOURS", default=24)
WEBHOOK_DISABLE_AFTER_FAILURES = env.int("WEBHOOK_DISABLE_AFTER_FAILURES", default=10)
WEBHOOK_DISABLE_AFTER_HOURS = env.int("WEBHOOK_DISABLE_AFTER_HOURS", default=24)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
# Endpoints are reached over HTTPS on the public internet only; a receiver on this machine over plain
# HTTP (127.0.0.1, localhost) is for development.
WEBHOOK_ALLOW_LOOPBACK = DEBUG

# The REST API (api/, under /api/v1/): another system reads one clinic's record with a token a manager
# created for it, in JSON only, a page of rows at a time, and no faster than the rate below per token.
# The FHIR API (fhir_api/, under /fhir/) takes the same tokens, and staff signed in to the site too.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.KeysetPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
API_TOKEN_RATE = env.str("API_TOKEN_RATE", default="600/min")
# The longest a token may last: a forgotten integration stops by itself.
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)
SPECTACULAR_SETTINGS = {
    "TITLE": "Recovery Desk API",
    "DESCRIPTION": "One clinic's record, read and written with an API token a manager created under Clinic settings.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs hold no record: they are served to anyone, without a token.
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # The treated areas are one list wherever they appear, read or written.
    "ENUM_NAME_OVERRIDES": {"AreaEnum": "treatments.models.Area"},
}
