"""An iCalendar (RFC 5545) file for one training, written by hand: one VEVENT."""

from datetime import UTC, timedelta

from django.utils import timezone


def _escape(text):
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line):
    """Lines longer than 75 octets continue on the next line after a space."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > 74:
            parts.append(current.decode("utf-8"))
            current = b""
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def event_to_ics(event, request):
    utc = "%Y%m%dT%H%M%SZ"
    start = event.starts_at.astimezone(UTC)
    end = start + timedelta(hours=float(event.duration_hours))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//STROM//Training//EN",
        "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT",
        f"UID:strom-training-{event.pk}@{request.get_host()}",
        f"DTSTAMP:{timezone.now().astimezone(UTC).strftime(utc)}",
        f"DTSTART:{start.strftime(utc)}",
        f"DTEND:{end.strftime(utc)}",
        f"SUMMARY:{_escape(event.title)}",
        f"LOCATION:{_escape(event.place)}",
        f"DESCRIPTION:{_escape(event.description)}",
        f"URL:{request.build_absolute_uri(event.get_absolute_url())}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
