"""The short links texts carry (/c/<code> for a check-in, /g/<code> for the recovery guide): each leads
to its page's own signed link, which decides whether it is open."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from recovery.models import CheckIn, GuideMessage

from . import guides
from .services import link_path


def _private(response):
    # The code is the patient's key, as the link it leads to is: never in a Referer, never cached.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    return response


@login_not_required
@require_safe
def check_in_code(request, code):
    """The page itself decides whether the check-in is open, closed or answered, as for its long link."""
    check_in = CheckIn.objects.select_related("session").filter(code=code).first()
    if check_in is None:
        return _not_a_link(request)
    return _private(redirect(link_path(check_in)))


@login_not_required
@require_safe
def guide_code(request, code):
    message = GuideMessage.objects.select_related("session").filter(code=code).first()
    if message is None:
        return _not_a_link(request)
    return _private(redirect(guides.link_path(message.session)))


def _not_a_link(request):
    return _private(render(request, "checkins/invalid_link.html", {"clinic": None}, status=400))
