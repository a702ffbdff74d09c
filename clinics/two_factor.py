"""Two-factor sign-in: who needs it, setting up an authenticator app, checking codes, recovery codes.

A code comes from a TOTP device (the authenticator app) or is one of the person's recovery
codes (a django-otp static device, each token deleted as it is used). Wrong codes are counted
per person in the shared cache, like the password lockout, and survive a new login.
"""

import logging
import re
import time
from base64 import b32encode
from dataclasses import dataclass
from datetime import UTC, datetime

import django_otp
import qrcode
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathFillImage

from .models import Membership, Role
from .scoping import memberships_of

logger = logging.getLogger(__name__)

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
# Memoised on the user object for the request, like the memberships in clinics.scoping.
_HAS_DEVICE_ATTR = "_recovery_desk_has_two_factor_device"
NO_APP_AT_LOGIN_SESSION_KEY = "two_factor_no_app_at_login"
# The pages a signed-in person may owe before any other, by URL name.
CODE = "two_factor:code"
SET_UP = "two_factor:set_up"


class Locked(Exception):
    """Too many wrong codes: no code is checked until `until`."""

    def __init__(self, until: datetime):
        super().__init__(until)
        self.until = until


def needs_two_factor(user) -> bool:
    """Managers, and practitioners of a clinic that asks for it; anyone the admin lets in."""
    if not settings.TWO_FACTOR_REQUIRED:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return any(m.role == Role.MANAGER or m.clinic.practitioners_need_two_factor for m in memberships_of(user))


def has_device(user) -> bool:
    cached = getattr(user, _HAS_DEVICE_ATTR, None)
    if cached is None:
        cached = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        setattr(user, _HAS_DEVICE_ATTR, cached)
    return cached


def is_verified(user) -> bool:
    # django_otp's middleware adds is_verified() to the request's user; a user object fresh from
    # the login form has not been through it, and has given no code yet.
    return bool(getattr(user, "is_verified", None) and user.is_verified())


def no_app_at_login_remember(request, user) -> None:
    """Note at login whether the person had no app, sparing a query on each request of theirs after."""
    request.session[NO_APP_AT_LOGIN_SESSION_KEY] = not has_device(user)


def step_needed(request) -> str | None:
    """The two-factor page the signed-in person must pass before any other, if any.

    Whoever has set up an app is asked for its code, even where nobody requires it: they chose it.
    An app set up in another session of theirs does not interrupt this one, opened without it.
    """
    user = request.user
    if not user.is_authenticated or is_verified(user):
        return None
    if needs_two_factor(user):
        return CODE if has_device(user) else SET_UP
    if request.session.get(NO_APP_AT_LOGIN_SESSION_KEY):
        return None
    return CODE if has_device(user) else None


def may_set_up(user) -> bool:
    """A first app, or a new phone once this session gave a code: never a way around the code."""
    return is_verified(user) or not has_device(user)


def pending_device(user) -> TOTPDevice:
    """The app being set up; the same one on every visit, so a reload does not change the QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret as an app asks for it when typed in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The app's set-up link as inline SVG, drawn here: no outside service or script ever sees the secret."""
    image = qrcode.make(device.config_url, image_factory=SvgPathFillImage, box_size=10, border=4)
    return image.to_string(encoding="unicode")


def _normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


def recovery_code_text(token: str) -> str:
    return f"{token[:4]}-{token[4:]}"


@transaction.atomic
def recovery_codes_replace(*, user) -> list[str]:
    """Ten new codes, shown once; the old set stops working.

    The device itself is kept, so a session that signed in with a recovery code stays signed in.
    """
    device, _created = StaticDevice.objects.get_or_create(user=user, defaults={"name": RECOVERY_DEVICE_NAME})
    device.token_set.all().delete()
    tokens = set()
    while len(tokens) < RECOVERY_CODE_COUNT:
        tokens.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(StaticToken(device=device, token=token) for token in sorted(tokens))
    return [recovery_code_text(token) for token in sorted(tokens)]


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


@dataclass(frozen=True)
class SetUp:
    device: TOTPDevice
    recovery_codes: list[str]


@transaction.atomic
def device_confirm(*, device: TOTPDevice, code: str) -> SetUp | None:
    """The app is set up once it shows a right code; any older app of the person stops working."""
    verified = django_otp.verify_token(device.user, device.persistent_id, _normalise(code))
    if verified is None:
        return None
    verified.confirmed = True
    verified.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=verified.user).exclude(pk=verified.pk).delete()
    return SetUp(device=verified, recovery_codes=recovery_codes_replace(user=verified.user))


def _failures_key(user) -> str:
    return f"two-factor-failures:{user.pk}"


def _lock_key(user) -> str:
    return f"two-factor-locked:{user.pk}"


def locked_until(user) -> datetime | None:
    until = cache.get(_lock_key(user))
    if until is None or until <= time.time():
        return None
    return datetime.fromtimestamp(until, tz=UTC)


def _failure_record(user) -> None:
    """Count a wrong code; the one that reaches the limit locks the person out for the cool-off."""
    cooloff = settings.TWO_FACTOR_COOLOFF_SECONDS
    key = _failures_key(user)
    cache.add(key, 0, timeout=cooloff)
    try:
        failures = cache.incr(key)
    except ValueError:
        # The count expired between add and incr: this failure starts a new one.
        cache.set(key, 1, timeout=cooloff)
        failures = 1
    if failures >= settings.TWO_FACTOR_FAILURE_LIMIT:
        until = time.time() + cooloff
        cache.set(_lock_key(user), until, timeout=cooloff)
        cache.delete(key)
        logger.warning("Two-factor sign-in of user %s locked after %s wrong codes", user.pk, failures)
        raise Locked(datetime.fromtimestamp(until, tz=UTC))


def code_check(*, user, code: str):
    """The device that accepts this code (the app's, or a recovery code, used up), or None.

    Raises Locked while the person is locked out, and on the wrong code that locks them out.
    """
    until = locked_until(user)
    if until is not None:
        raise Locked(until)
    token = _normalise(code)
    is_app_code = len(token) == 6 and token.isdecimal()
    devices = (
        TOTPDevice.objects.filter(user=user, confirmed=True)
        if is_app_code
        else StaticDevice.objects.filter(user=user, confirmed=True)
    )
    for device in devices:
        verified = django_otp.verify_token(user, device.persistent_id, token)
        if verified is not None:
            cache.delete(_failures_key(user))
            return verified
    _failure_record(user)
    return None


def is_recovery_code(device) -> bool:
    return isinstance(device, StaticDevice)


@dataclass(frozen=True)
class StaffTwoFactor:
    user: object
    role: str
    needs_two_factor: bool
    has_device: bool
    recovery_codes_left: int


def staff_two_factor_of(clinic) -> list[StaffTwoFactor]:
    """Each member of the clinic's staff and where their two-factor sign-in stands."""
    memberships = list(clinic.memberships.select_related("user").order_by("user__first_name", "user__username"))
    user_ids = [m.user_id for m in memberships]
    with_device = set(TOTPDevice.objects.filter(user_id__in=user_ids, confirmed=True).values_list("user_id", flat=True))
    codes_left = dict(
        StaticToken.objects.filter(device__user_id__in=user_ids)
        .values("device__user_id")
        .annotate(left=Count("pk"))
        .values_list("device__user_id", "left")
    )
    # Managing, or working at, another clinic counts too: the person signs in once for all of them.
    needing = set(
        Membership.objects.filter(user_id__in=user_ids)
        .filter(Q(role=Role.MANAGER) | Q(clinic__practitioners_need_two_factor=True))
        .values_list("user_id", flat=True)
    )
    required = settings.TWO_FACTOR_REQUIRED
    return [
        StaffTwoFactor(
            user=m.user,
            role=m.get_role_display(),
            needs_two_factor=required and (m.user_id in needing or m.user.is_staff or m.user.is_superuser),
            has_device=m.user_id in with_device,
            recovery_codes_left=codes_left.get(m.user_id, 0),
        )
        for m in memberships
    ]


@transaction.atomic
def two_factor_reset(*, user, by, where: str) -> None:
    """Forget the person's app and recovery codes (a lost phone): they set it up again at their next page.

    Their sessions lose the code they gave; the lockout is lifted. Kept in the user's admin history.
    """
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    cache.delete_many([_failures_key(user), _lock_key(user)])
    message = gettext("Two-factor sign-in reset by %(by)s, %(where)s.") % {"by": by, "where": where}
    LogEntry.objects.log_actions(
        user_id=by.pk, queryset=[user], action_flag=CHANGE, change_message=message, single_object=True
    )
    logger.warning("Two-factor sign-in of user %s reset by user %s", user.pk, by.pk)
