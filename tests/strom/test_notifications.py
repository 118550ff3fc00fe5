"""In-app notifications, their e-mail copies and the pages of the signed-in user."""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from strom.notifications import Notification, NotificationPreference, notify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _start_without_notifications(db):
    # The demo world sends referrals, and referrals notify; each test starts from none
    # (the deletion is rolled back with the test).
    Notification.objects.all().delete()


def send(users, kind="referral_received", title="Referral RIX-2026-0001 received", **kwargs):
    kwargs.setdefault("url", "/referrals/")
    return notify(users, kind=kind, title=title, **kwargs)


# notify() and the e-mail copies ------------------------------------------------------------


def test_notify_creates_one_notification_per_user_even_if_named_twice(demo):
    sw, coord = demo.users["sw.riga"], demo.users["coord.riga"]
    created = send([sw, coord, sw])
    assert len(created) == 2
    assert sw.notifications.count() == 1
    assert coord.notifications.get().title == "Referral RIX-2026-0001 received"


def test_notify_skips_inactive_users(demo):
    sw = demo.users["sw.riga"]
    sw.is_active = False
    sw.save()
    assert send([sw]) == []
    assert not Notification.objects.filter(user=sw).exists()


def test_email_copies_leave_only_after_the_transaction_commits(
    demo, mailoutbox, django_capture_on_commit_callbacks
):
    sw, coord = demo.users["sw.riga"], demo.users["coord.riga"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send([sw, coord], body="A referral needs an answer.")
        assert mailoutbox == []  # still inside the transaction
    assert len(callbacks) == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted([sw.email, coord.email])
    message = mailoutbox[0]
    assert message.subject == "STROM: Referral RIX-2026-0001 received"
    assert "A referral needs an answer." in message.body
    assert message.body.rstrip().endswith("/referrals/")
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_no_email_and_no_notification_when_the_transaction_rolls_back(
    demo, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send([demo.users["sw.riga"]])
        raise RuntimeError("the change failed")
    assert callbacks == []
    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_a_title_with_a_line_break_still_gives_a_one_line_subject(
    demo, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send([demo.users["sw.riga"]], title="Step changed:\nInterpretation")
    assert mailoutbox[0].subject == "STROM: Step changed: Interpretation"


def test_no_email_when_the_user_turned_email_off(
    demo, mailoutbox, django_capture_on_commit_callbacks
):
    sw = demo.users["sw.riga"]
    NotificationPreference.objects.create(user=sw, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        send([sw], kind="referral_overdue")
    assert mailoutbox == []
    assert sw.notifications.count() == 1  # still shown in STROM


def test_escalations_only_emails_deadlines_and_escalations_but_not_the_rest(
    demo, mailoutbox, django_capture_on_commit_callbacks
):
    sw = demo.users["sw.riga"]
    NotificationPreference.objects.create(user=sw, email_escalations_only=True)
    with django_capture_on_commit_callbacks(execute=True):
        send([sw], kind="referral_received", title="Received")
        send([sw], kind="referral_overdue", title="Overdue")
        send([sw], kind="referral_escalated", title="Escalated")
    assert sorted(m.subject for m in mailoutbox) == ["STROM: Escalated", "STROM: Overdue"]
    assert sw.notifications.count() == 3


def test_no_email_for_a_user_without_an_address(
    demo, mailoutbox, django_capture_on_commit_callbacks
):
    sw = demo.users["sw.riga"]
    sw.email = ""
    sw.save()
    with django_capture_on_commit_callbacks(execute=True):
        send([sw])
    assert mailoutbox == []


# The header badge --------------------------------------------------------------------------


def test_header_badge_counts_her_unread_notifications(demo, client_for):
    sw = demo.users["sw.riga"]
    first, *_rest = send([sw]) + send([sw]) + send([sw])
    Notification.objects.filter(pk=first.pk).update(read_at=timezone.now())
    send([demo.users["coord.riga"]])  # someone else's
    response = client_for(sw).get(reverse("home"))
    assert response.context["unread_notifications"] == 2
    page = response.content.decode()
    assert reverse("notification_list") in page
    assert "2 unread" in page


def test_header_has_no_badge_without_unread_notifications(demo, client_for):
    response = client_for(demo.users["sw.riga"]).get(reverse("home"))
    assert response.context["unread_notifications"] == 0
    assert 'class="badge"' not in response.content.decode()


def test_badge_count_costs_one_query(demo, rf):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from strom.context_processors import navigation

    sw = demo.users["sw.riga"]
    send([sw])
    request = rf.get("/")
    request.user = sw
    with CaptureQueriesContext(connection) as queries:
        context = navigation(request)
    assert context["unread_notifications"] == 1
    assert sum("strom_notification" in q["sql"] for q in queries.captured_queries) == 1


# The pages ------------------------------------------------------------------------------------


def test_list_shows_only_her_own_notifications_newest_first(demo, client_for):
    sw, coord = demo.users["sw.riga"], demo.users["coord.riga"]
    send([sw], title="Older")
    send([sw], title="Newer")
    send([coord], title="For the coordinator")
    response = client_for(sw).get(reverse("notification_list"))
    assert response.status_code == 200
    assert [n.title for n in response.context["page"]] == ["Newer", "Older"]
    page = response.content.decode()
    assert "For the coordinator" not in page
    assert 'href="/referrals/"' in page


def test_list_marks_unread_ones_visibly_and_in_words(demo, client_for):
    sw = demo.users["sw.riga"]
    read, _unread = send([sw], title="Seen") + send([sw], title="Not seen")
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    page = client_for(sw).get(reverse("notification_list")).content.decode()
    assert page.count("notification--unread") == 1
    assert page.count('class="tag tag--unread">Unread<') == 1


def test_list_never_links_outside_strom(demo, client_for):
    sw = demo.users["sw.riga"]
    send([sw], url="https://evil.example/")
    send([sw], url="javascript:alert(1)")
    page = client_for(sw).get(reverse("notification_list")).content.decode()
    assert "evil.example" not in page
    assert "javascript:" not in page


def test_list_is_paginated_by_fifty_with_a_constant_number_of_queries(
    demo, client_for, django_assert_max_num_queries
):
    sw = demo.users["sw.riga"]
    for i in range(60):
        send([sw], title=f"Notification {i}")
    client = client_for(sw)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("notification_list"))
    assert len(response.context["page"]) == 50
    with django_assert_max_num_queries(10):
        response = client.get(reverse("notification_list"), {"page": 2})
    assert len(response.context["page"]) == 10


def test_marking_one_read_goes_to_its_link(demo, client_for):
    sw = demo.users["sw.riga"]
    notification, other = send([sw]) + send([sw])
    response = client_for(sw).post(reverse("notification_read", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/referrals/"
    notification.refresh_from_db()
    other.refresh_from_db()
    assert notification.read_at is not None
    assert other.read_at is None


def test_marking_one_without_a_link_read_returns_to_the_list(demo, client_for):
    sw = demo.users["sw.riga"]
    (notification,) = send([sw], url="")
    response = client_for(sw).post(reverse("notification_read", args=[notification.pk]))
    assert response["Location"] == reverse("notification_list")


def test_marking_read_never_redirects_to_another_site(demo, client_for):
    sw = demo.users["sw.riga"]
    (notification,) = send([sw], url="//evil.example/")
    response = client_for(sw).post(reverse("notification_read", args=[notification.pk]))
    assert response["Location"] == reverse("notification_list")


def test_marking_read_again_keeps_the_first_time(demo, client_for):
    sw = demo.users["sw.riga"]
    (notification,) = send([sw])
    client = client_for(sw)
    client.post(reverse("notification_read", args=[notification.pk]))
    notification.refresh_from_db()
    first = notification.read_at
    client.post(reverse("notification_read", args=[notification.pk]))
    notification.refresh_from_db()
    assert notification.read_at == first


def test_marking_read_needs_post(demo, client_for):
    sw = demo.users["sw.riga"]
    (notification,) = send([sw])
    response = client_for(sw).get(reverse("notification_read", args=[notification.pk]))
    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_another_users_notification_is_404_and_stays_unread(demo, client_for):
    (theirs,) = send([demo.users["coord.riga"]])
    response = client_for(demo.users["sw.riga"]).post(
        reverse("notification_read", args=[theirs.pk])
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_unknown_notification_is_404(demo, client_for):
    response = client_for(demo.users["sw.riga"]).post(reverse("notification_read", args=[999999]))
    assert response.status_code == 404


def test_mark_all_read_marks_only_her_own(demo, client_for):
    sw, coord = demo.users["sw.riga"], demo.users["coord.riga"]
    send([sw])
    send([sw])
    send([coord])
    response = client_for(sw).post(reverse("notification_read_all"))
    assert response["Location"] == reverse("notification_list")
    assert not sw.notifications.filter(read_at__isnull=True).exists()
    assert coord.notifications.filter(read_at__isnull=True).count() == 1


def test_mark_all_read_needs_post(demo, client_for):
    sw = demo.users["sw.riga"]
    send([sw])
    assert client_for(sw).get(reverse("notification_read_all")).status_code == 405
    assert sw.notifications.filter(read_at__isnull=True).count() == 1


def test_preferences_are_created_on_first_save(demo, client_for):
    sw = demo.users["sw.riga"]
    client = client_for(sw)
    response = client.get(reverse("notification_preferences"))
    assert response.status_code == 200
    assert response.context["form"].initial == {"email": True, "email_escalations_only": False}
    assert not NotificationPreference.objects.filter(user=sw).exists()
    response = client.post(reverse("notification_preferences"), {"email_escalations_only": "on"})
    assert response["Location"] == reverse("notification_preferences")
    preference = NotificationPreference.objects.get(user=sw)
    assert preference.email is False
    assert preference.email_escalations_only is True


def test_preferences_are_changed_in_place(demo, client_for):
    sw = demo.users["sw.riga"]
    NotificationPreference.objects.create(user=sw, email=False)
    client_for(sw).post(reverse("notification_preferences"), {"email": "on"})
    preference = NotificationPreference.objects.get(user=sw)
    assert preference.email is True
    assert preference.email_escalations_only is False


def test_preferences_are_her_own_whatever_the_form_says(demo, client_for):
    sw, coord = demo.users["sw.riga"], demo.users["coord.riga"]
    client_for(sw).post(reverse("notification_preferences"), {"email": "on", "user": coord.pk})
    assert NotificationPreference.objects.get().user == sw


@pytest.mark.parametrize(
    ("name", "args", "method"),
    [
        ("notification_list", [], "get"),
        ("notification_preferences", [], "get"),
        ("notification_read_all", [], "post"),
        ("notification_read", [1], "post"),
    ],
)
def test_anonymous_user_is_sent_to_sign_in(client, db, name, args, method):
    url = reverse(name, args=args)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_user_changes_nothing(demo, client):
    (notification,) = send([demo.users["sw.riga"]])
    client.post(reverse("notification_read", args=[notification.pk]))
    client.post(reverse("notification_read_all"))
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_mail_server_that_is_down_leaves_the_change_made_and_the_copy_unsent(
    demo, monkeypatch, django_capture_on_commit_callbacks
):
    import smtplib

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connection refused")

    monkeypatch.setattr("strom.notifications.send_mail", refuse)
    sw = demo.users["sw.riga"]
    with django_capture_on_commit_callbacks(execute=True):
        send([sw])  # no exception reaches the page that caused it
    notification = Notification.objects.get(user=sw)
    assert notification.emailed_at is None


def test_security_notices_are_emailed_even_when_copies_are_turned_off(
    demo, mailoutbox, django_capture_on_commit_callbacks
):
    from strom.notifications import SECURITY_KIND

    sw = demo.users["sw.riga"]
    NotificationPreference.objects.update_or_create(user=sw, defaults={"email": False})
    with django_capture_on_commit_callbacks(execute=True):
        send([sw], kind="referral_received")
        send([sw], kind=SECURITY_KIND, title="Your authenticator app was replaced")
    assert [m.subject for m in mailoutbox] == ["STROM: Your authenticator app was replaced"]
