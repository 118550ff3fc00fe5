"""An iCalendar (RFC 5545) file for one training: one VEVENT, written by the `icalendar`
library, which escapes and folds the text values.

What an organiser typed is text and must stay text: a line break in the title or the
place, or any other control character, would otherwise end the line and start a calendar
property of its own (an ATTENDEE, a second VEVENT). So the title and the place become one
line, the description keeps its line breaks (escaped as "\\n" by the library), and every
other control character, including the Unicode line and paragraph separators, is dropped.
"""

import re
import unicodedata
from datetime import UTC, timedelta

from django.utils import timezone
from icalendar import Calendar, Event

_LINE_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_DROPPED_CATEGORIES = {"Cc", "Cs", "Zl", "Zp"}  # controls, lone surrogates, line separators


def clean_text(text, *, multiline=False):
    """The text with line breaks normalised to "\\n" (or to spaces, for a one-line value),
    tabs as spaces, and every other control character removed."""
    text = _LINE_BREAKS.sub("\n" if multiline else " ", str(text or ""))
    return "".join(
        " " if char == "\t" else char
        for char in text
        if char == "\t"
        or (multiline and char == "\n")
        or unicodedata.category(char) not in _DROPPED_CATEGORIES
    )


def event_to_ics(event, request):
    start = event.starts_at.astimezone(UTC)
    calendar = Calendar()
    calendar.add("prodid", "-//STROM//Training//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    vevent = Event()
    vevent.add("uid", f"strom-training-{event.pk}@{request.get_host()}")
    vevent.add("dtstamp", timezone.now().astimezone(UTC))
    vevent.add("dtstart", start)
    vevent.add("dtend", start + timedelta(hours=float(event.duration_hours)))
    vevent.add("summary", clean_text(event.title))
    vevent.add("location", clean_text(event.place))
    vevent.add("description", clean_text(event.description, multiline=True))
    vevent.add("url", request.build_absolute_uri(event.get_absolute_url()))
    calendar.add_component(vevent)
    return calendar.to_ical().decode("utf-8")
