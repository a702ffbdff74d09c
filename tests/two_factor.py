"""Authenticator apps for the tests: a confirmed device, and the codes a phone would show for it."""

from base64 import b32encode

import pyotp
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinics.two_factor import needs_two_factor


def app_for(user) -> TOTPDevice:
    """The user's authenticator app, set up already."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def app_codes(device: TOTPDevice) -> pyotp.TOTP:
    """What the person's phone computes from the secret it was given."""
    return pyotp.TOTP(b32encode(device.bin_key).decode())


def signed_in_with_code(client, user):
    """A client as after the password and, where the user owes one, a code from their app."""
    client.force_login(user)
    if needs_two_factor(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = app_for(user).persistent_id
        session.save()
    return client
