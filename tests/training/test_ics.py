"""The training's calendar file: whatever an organiser types into the title, place or
description stays text inside one VEVENT; it never starts a calendar line of its own."""

import datetime
import unicodedata

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from training import actions
from training.ics import event_to_ics
from training.models import TrainingEvent

pytestmark = pytest.mark.django_db

INJECTED = "ATTENDEE:mailto:x"
# Line breaks of every kind, other C0/C1 controls, DEL and the Unicode line separators.
BREAKS = ["\r", "\n", "\r\n", "\n\r", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u2028", "\u2029"]
EXPECTED_PROPERTIES = {
    "UID",
    "DTSTAMP",
    "DTSTART",
    "DTEND",
    "SUMMARY",
    "LOCATION",
    "DESCRIPTION",
    "URL",
}


def _hostile(prefix, breaks=BREAKS):
    return prefix + "".join(f"{brk}{INJECTED}" for brk in breaks) + "\rEND:VEVENT\rBEGIN:VEVENT"


def _event(demo, **texts):
    event = TrainingEvent(
        title="Training",
        place="Room",
        municipality=demo.municipalities["RIX"],
        starts_at=timezone.now() + datetime.timedelta(days=3),
        duration_hours=3,
        organiser=demo.actors["riga-social"],
        capacity=10,
    )
    event = actions.save_event(by=demo.users["admin.riga"], event=event, topics=["labour"])
    # Straight into the table: no form or length check stands between the text and the file.
    TrainingEvent.objects.filter(pk=event.pk).update(**texts)
    return event


def _assert_one_clean_event(body):
    # Outside the CRLF line ends (and their folding), no line break of any kind is left.
    for char in body.replace("\r\n ", "").replace("\r\n", ""):
        assert unicodedata.category(char) not in {"Cc", "Zl", "Zp"}, repr(char)
    for line in body.split("\r\n"):
        assert not line.startswith("ATTENDEE"), line
    calendar = Calendar.from_ical(body)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    assert set(events[0]) == EXPECTED_PROPERTIES
    assert {c.name for c in calendar.walk()} == {"VCALENDAR", "VEVENT"}
    return events[0]


def test_control_characters_in_a_training_do_not_inject_calendar_properties(demo, client_for):
    event = _event(
        demo,
        title=_hostile("Identification", ["\r", "\n", "\r\n", "\x0b", "\x85", "\u2028"]),
        place=_hostile("Room 1"),
        description=_hostile("Bring the indicators list."),
    )
    response = client_for(demo.users["sw.riga"]).get(reverse("training_ics", args=[event.pk]))
    assert response.status_code == 200
    vevent = _assert_one_clean_event(response.content.decode())
    # The text is still there, as text.
    assert str(vevent["SUMMARY"]).startswith("Identification")
    assert INJECTED in str(vevent["SUMMARY"])
    assert str(vevent["LOCATION"]).startswith("Room 1")
    assert str(vevent["DESCRIPTION"]).startswith("Bring the indicators list.")


def test_a_description_keeps_its_line_breaks_as_escaped_text(demo, client_for):
    event = _event(
        demo, title="Labour", place="Room 2", description="First line\r\nSecond\rThird\nFourth"
    )
    response = client_for(demo.users["sw.riga"]).get(reverse("training_ics", args=[event.pk]))
    vevent = _assert_one_clean_event(response.content.decode())
    assert str(vevent["DESCRIPTION"]) == "First line\nSecond\nThird\nFourth"


def test_nul_and_every_other_control_character_is_dropped(demo):
    """NUL cannot reach PostgreSQL, but the file is built from whatever the model holds."""
    event = TrainingEvent(
        pk=12345,
        title="A\x00B\x01C\tD" + _hostile(""),
        place="P\x00" + _hostile(""),
        description="D\x00" + _hostile(""),
        starts_at=timezone.now(),
        duration_hours=1,
    )
    body = event_to_ics(event, RequestFactory().get("/"))
    vevent = _assert_one_clean_event(body)
    assert str(vevent["SUMMARY"]).startswith("ABC D")


def test_long_titles_are_folded_and_read_back_whole(demo, client_for):
    title = "Cilvēku tirdzniecības upuru identificēšana; praktiskā apmācība, " * 3
    event = _event(demo, title=title.strip(), place="Zāle", description="")
    body = client_for(demo.users["sw.riga"]).get(reverse("training_ics", args=[event.pk]))
    text = body.content.decode()
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    vevent = _assert_one_clean_event(text)
    assert str(vevent["SUMMARY"]) == title.strip()
