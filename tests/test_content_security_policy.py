"""Every response tells the browser to run only the site's own scripts and styles.

Should markup ever slip through escaping, the browser then refuses to run an injected script,
apply an injected style, send a form elsewhere or show the page inside another site's frame.
tests/browser/test_content_security_policy.py checks that the pages themselves keep to it.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from checkins import guides
from checkins import services as check_ins
from recovery.models import CheckIn, CheckInStatus, GuideMessage

from .factories import TreatmentSessionFactory

POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}


def policy_of(response) -> dict[str, set[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    return {name: set(sources) for name, *sources in (part.split() for part in header.split(";") if part.strip())}


def test_a_staff_page_runs_only_the_sites_own_scripts_and_styles(client_for, alice):
    response = client_for(alice).get(reverse("recovery:dashboard"))

    assert response.status_code == 200
    assert policy_of(response) == POLICY


def test_pages_seen_without_a_login_carry_the_same_policy(client, harbour, alice):
    session = TreatmentSessionFactory(patient__clinic=harbour, practitioner=alice)
    sent_at = timezone.now() - timedelta(hours=1)
    check_in = CheckIn.objects.create(session=session, due_at=sent_at, status=CheckInStatus.SENT, sent_at=sent_at)
    GuideMessage.objects.create(session=session, emailed_at=sent_at)

    for path, status in [
        (reverse("login"), 200),
        (reverse("password_reset"), 200),
        (check_ins.link_path(check_in), 200),
        (guides.link_path(session), 200),
        ("/no-such-page/", 404),
    ]:
        response = client.get(path)

        assert response.status_code == status, path
        assert policy_of(response) == POLICY, path
