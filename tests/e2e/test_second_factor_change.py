"""In the browser: the password alone does not reach the set-up page of an enrolled person,
and the owner replaces her authenticator app by giving the code, then her password again."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from strom.twofactor import current_code
from tests.conftest import DEMO_PASSWORD


def test_the_password_alone_lands_on_the_code_page_not_on_the_set_up_page(ui, e2e_demo):
    ui.login("sw.riga", second_factor=False)
    ui.goto("/accounts/two-factor/setup/")
    assert ui.page.get_by_role("heading", name="Second step of signing in").is_visible()
    assert ui.page.get_by_role("img", name="QR code for the authenticator app").count() == 0
    assert not TOTPDevice.objects.filter(user__username="sw.riga", confirmed=False).exists()


def test_the_owner_replaces_her_authenticator_app(ui, e2e_demo):
    ui.login("sw.riga")
    ui.goto("/accounts/security/")
    ui.follow("Replace the authenticator app")
    # The password typed at sign-in a moment ago does not count.
    assert ui.page.get_by_role("heading", name="Confirm it's you").is_visible()
    ui.page.get_by_label("Password").fill(DEMO_PASSWORD)
    ui.submit("Continue")
    assert ui.page.get_by_text("You are replacing your authenticator app").is_visible()

    new_app = TOTPDevice.objects.get(user__username="sw.riga", confirmed=False)
    ui.page.get_by_label("Code shown by the app").fill(current_code(new_app))
    ui.submit("Confirm")
    assert ui.page.get_by_role("heading", name="Your recovery codes").is_visible()
    ui.follow("I have kept them, continue")
    assert ui.page.get_by_role("heading", name="Social worker · Riga").is_visible()
    assert list(TOTPDevice.objects.filter(user__username="sw.riga", confirmed=True)) == [new_app]

    ui.goto("/notifications/")
    assert ui.page.get_by_text("Your authenticator app was replaced").first.is_visible()
