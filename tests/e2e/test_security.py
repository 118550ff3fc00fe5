"""In the browser: the second factor is set up as a person would, and the Content Security
Policy stops a script that got into a page."""

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from strom.models import Membership, Role
from strom.twofactor import current_code
from tests.conftest import DEMO_PASSWORD


def test_a_new_social_worker_sets_up_her_second_factor(ui, e2e_demo):
    user = get_user_model().objects.create_user("sw.new", password=DEMO_PASSWORD)
    Membership.objects.create(
        user=user, actor=e2e_demo.actors["riga-social"], role=Role.SOCIAL_WORKER
    )
    ui.login("sw.new", second_factor=False)
    assert ui.page.get_by_role("heading", name="Set up your second factor").is_visible()
    assert ui.page.get_by_role("img", name="QR code for the authenticator app").is_visible()
    # No menu before the second factor.
    assert ui.page.get_by_role("navigation", name="Main").count() == 0

    ui.page.get_by_label("Code shown by the app").fill("000000")
    ui.submit("Confirm")
    assert "does not match" in ui.page.get_by_role("alert").inner_text()

    ui.page.wait_for_timeout(1100)  # django-otp pauses a second after a wrong code
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    ui.page.get_by_label("Code shown by the app").fill(current_code(device))
    ui.submit("Confirm")
    assert ui.page.get_by_role("heading", name="Your recovery codes").is_visible()
    assert ui.page.locator(".recovery-codes li").count() == 10
    ui.follow("I have kept them, continue")
    assert ui.page.get_by_role("heading", name="Social worker · Riga").is_visible()


def test_the_content_security_policy_blocks_an_inline_script(ui):
    ui.login("coord.riga")
    violations = []
    ui.page.on("console", lambda message: violations.append(message.text))
    ran = ui.page.evaluate(
        """() => new Promise(resolve => {
            document.addEventListener('securitypolicyviolation',
                e => resolve({ran: window.__injected === true, directive: e.violatedDirective}));
            const script = document.createElement('script');
            script.textContent = 'window.__injected = true';
            document.body.appendChild(script);
            setTimeout(() => resolve({ran: window.__injected === true, directive: null}), 2000);
        })"""
    )
    assert ran["ran"] is False
    assert ran["directive"].startswith("script-src")


def test_pages_still_work_under_the_policy(ui):
    """htmx and the map run from STROM's own files; nothing on these pages is refused."""
    refused = []
    ui.page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    ui.login("coord.riga")
    ui.goto("/services/")
    ui.goto("/cases/")
    assert refused == []
