"""Where a webhook may be sent: an address of the public internet, over HTTPS.

An endpoint is typed by a manager, and the server then posts to it: an address of the server's own
network (a database, a cloud's metadata service) would let the form reach what the internet cannot.
The address is checked when it is saved, and the names it resolves to again at each attempt, since a
name may be pointed elsewhere after it was saved.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from .models import URL_MAX_LENGTH

NOT_AN_ADDRESS = _("Enter the full address of your endpoint, starting with https://.")
NOT_HTTPS = _("The address must start with https://, so that what is sent is encrypted on the way.")
TOO_LONG = _("This address is too long: at most %(limit)s characters.")
PRIVATE_NETWORK = _("This address leads to a private network: give one on the internet.")

LOOPBACK_NAMES = {"localhost"}


def _loopback_allowed(host: str) -> bool:
    if not settings.WEBHOOK_ALLOW_LOOPBACK:
        return False
    try:
        return host in LOOPBACK_NAMES or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_problem(url: str) -> str | None:
    """Why an endpoint's address is refused, if it is."""
    if len(url) > URL_MAX_LENGTH:
        return str(TOO_LONG % {"limit": URL_MAX_LENGTH})
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        return str(
            NOT_HTTPS if "://" in url and not url.lower().startswith(("https://", "http://")) else NOT_AN_ADDRESS
        )
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".")
    if _loopback_allowed(host):
        return None
    if parts.scheme != "https":
        return str(NOT_HTTPS)
    if host in LOOPBACK_NAMES or host.endswith(".localhost") or not _public(host):
        return str(PRIVATE_NETWORK)
    return None


def _public(host: str) -> bool:
    """A name, or an address of the public internet (a name is checked when it is resolved)."""
    try:
        return ipaddress.ip_address(host).is_global
    except ValueError:
        return True


def resolves_privately(url: str) -> bool:
    """Whether any address the endpoint's name resolves to now is outside the public internet. A name
    that does not resolve is left to the connection, which fails as it would for anyone."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if _loopback_allowed(host):
        return False
    try:
        found = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False
    return any(not ipaddress.ip_address(info[4][0].split("%")[0]).is_global for info in found)
