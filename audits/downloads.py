"""File names of downloads: whatever a lot number or a date holds, the header stays one safe line."""

import re

from django.utils.http import content_disposition_header

UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
DASHES = re.compile(r"-{2,}")


def safe_file_name(name: str) -> str:
    """Letters, digits, dots, dashes and underscores; anything else becomes a dash."""
    return DASHES.sub("-", UNSAFE.sub("-", name)).strip("-.") or "download"


def as_attachment(response, name: str):
    response["Content-Disposition"] = content_disposition_header(True, safe_file_name(name))
    return response
