"""The token's secret: made, digested and read back from a request; pure, no model.

A token reads `rd_<prefix>_<secret>`: the prefix (hex) finds the row, the whole string's SHA-256
digest is what is stored. 32 random bytes leave nothing to guess, so a fast digest is enough: unlike a
password, a token is never chosen by a person.
"""

import hashlib
import hmac
import re
import secrets

TOKEN_PATTERN = re.compile(r"^rd_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")


def new_secret() -> tuple[str, str]:
    """A new token and its prefix."""
    prefix = secrets.token_hex(6)
    return prefix, f"rd_{prefix}_{secrets.token_urlsafe(32)}"


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def prefix_of(token: str) -> str | None:
    """The prefix of something shaped like a token; None for anything else."""
    match = TOKEN_PATTERN.match(token)
    return match.group(1) if match else None


def digests_match(stored: str, token: str) -> bool:
    return hmac.compare_digest(stored, digest_of(token))
