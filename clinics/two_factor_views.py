"""The pages of two-factor sign-in: the code after the password, setting up an app, recovery codes."""

from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import two_factor
from .forms import CodeForm, SignInCodeForm
from .middleware import two_factor_exempt
from .sign_in_forms import StaffAuthenticationForm

# Recovery codes are stored for checking, but shown only once, on the page right after they are made.
FRESH_CODES_SESSION_KEY = "two_factor_fresh_codes"


def _next_url(request) -> str:
    url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    safe = url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if safe:
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"


def _sign_in(request, device) -> None:
    django_otp.login(request, device)
    # More is open to this session than before the code: give it a key nobody saw before.
    request.session.cycle_key()


class StaffLoginView(LoginView):
    """The password, then straight to the code (or to setting up an app) for whoever owes one."""

    authentication_form = StaffAuthenticationForm

    def get_success_url(self):
        url = super().get_success_url()
        step = two_factor.step_needed(self.request)
        return _with_next(reverse(step), url) if step else url


@two_factor_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def code(request):
    next_url = _next_url(request)
    step = two_factor.step_needed(request)
    if step is None:
        return redirect(next_url)
    if step != two_factor.CODE:
        return redirect(_with_next(reverse(step), next_url))
    form = SignInCodeForm(request.POST or None)
    until = two_factor.locked_until(request.user)
    if request.method == "POST" and until is None and form.is_valid():
        try:
            device = two_factor.code_check(user=request.user, code=form.cleaned_data["code"])
        except two_factor.Locked as locked:
            until = locked.until
        else:
            if device is not None:
                _sign_in(request, device)
                if two_factor.is_recovery_code(device):
                    _recovery_code_used(request)
                return redirect(next_url)
            form.add_error(
                "code",
                _("That code did not work. Type the code your app shows now, or a recovery code you have not used."),
            )
    return render(
        request,
        "clinics/two_factor/code.html",
        {"form": form, "locked_until": until},
        status=429 if until else 200,
    )


def _recovery_code_used(request) -> None:
    left = two_factor.recovery_codes_left(request.user)
    used = _("You signed in with a recovery code; it will not work again.")
    remaining = ngettext("You have %(left)s recovery code left.", "You have %(left)s recovery codes left.", left) % {
        "left": left
    }
    advice = _("If your phone is lost, set up the app on a new one under Two-factor sign-in.")
    messages.warning(request, f"{used} {remaining} {advice}")


@two_factor_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def set_up(request):
    next_url = _next_url(request)
    if not two_factor.may_set_up(request.user):
        return redirect(_with_next(reverse(two_factor.CODE), next_url))
    replacing = two_factor.has_device(request.user)
    device = two_factor.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = two_factor.device_confirm(device=device, code=form.cleaned_data["code"])
        if done is not None:
            _sign_in(request, done.device)
            request.session[FRESH_CODES_SESSION_KEY] = done.recovery_codes
            return redirect(_with_next(reverse("two_factor:recovery_codes"), next_url))
        form.add_error("code", _("That code did not work. Type the code the app shows now for Recovery Desk."))
    return render(
        request,
        "clinics/two_factor/set_up.html",
        {
            "form": form,
            # Drawn by qrcode from our own data, escaped as XML: no text from a request reaches it.
            "qr_code": mark_safe(two_factor.qr_code_svg(device)),
            "secret": two_factor.secret_text(device),
            "replacing": replacing,
            "required": two_factor.needs_two_factor(request.user),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    if not two_factor.has_device(request.user):
        return redirect("two_factor:overview")
    if request.method == "POST":
        request.session[FRESH_CODES_SESSION_KEY] = two_factor.recovery_codes_replace(user=request.user)
        return redirect("two_factor:recovery_codes")
    codes = request.session.pop(FRESH_CODES_SESSION_KEY, None)
    if codes is None:
        return redirect("two_factor:overview")
    return render(request, "clinics/two_factor/recovery_codes.html", {"codes": codes, "next_url": _next_url(request)})


@never_cache
def overview(request):
    has_device = two_factor.has_device(request.user)
    return render(
        request,
        "clinics/two_factor/overview.html",
        {
            "has_device": has_device,
            "required": two_factor.needs_two_factor(request.user),
            "recovery_codes_left": two_factor.recovery_codes_left(request.user) if has_device else 0,
        },
    )
