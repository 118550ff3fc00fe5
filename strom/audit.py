"""The audit log: an append-only record of who read, changed, exported or printed what.

Rows are only ever inserted. The model refuses updates and deletes, and on
PostgreSQL a trigger (migration 0002) refuses them for any client, raw SQL included.
Never put a victim's name in `object_label` or `detail`: use reference codes.

Each event takes the database's time and its place in a hash chain: `seq` is its position
(1, 2, 3, ... with no gap) and `row_hash` a SHA-256 over the previous event's `row_hash`
and this event's fields (`canonical_bytes`). An event changed or removed afterwards breaks
the chain, which `manage.py verify_audit` checks. On PostgreSQL a BEFORE INSERT trigger
(migration 0010) sets the time, the position and the hash for every client, raw SQL
included, under a transaction-level advisory lock, so concurrent transactions make one
linear chain. On other databases (SQLite, `make run`) `AuditEvent.save` and
`AuditEventQuerySet.bulk_create` compute the same in Python. Both use the one encoding
below; tests/strom/test_audit.py checks that they agree.
"""

import hashlib
import ipaddress
import threading
from dataclasses import dataclass
from datetime import UTC, timedelta

from django.conf import settings
from django.db import connections, models, router, transaction
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    LOGOUT = "logout", _("Signed out")
    LOCKOUT = "lockout", _("Locked out after failed sign-ins")
    UNLOCK = "unlock", _("Unlocked")
    TWO_FACTOR_ENROLLED = "2fa_enrolled", _("Set up a second factor")
    TWO_FACTOR_FAILED = "2fa_failed", _("Wrong second-factor code")
    TWO_FACTOR_RESET = "2fa_reset", _("Second factor reset")
    TWO_FACTOR_VERIFIED = "2fa_verified", _("Gave the second factor")
    TWO_FACTOR_REPLACED = "2fa_replaced", _("Replaced the authenticator app")
    RECOVERY_CODE_USED = "recovery_used", _("Signed in with a recovery code")
    RECOVERY_CODES_NEW = "recovery_new", _("Made new recovery codes")
    REAUTHENTICATE = "reauth", _("Confirmed the password")
    VIEW = "view", _("Viewed")
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    DELETE = "delete", _("Deleted")
    EXPORT = "export", _("Exported")
    PRINT = "print", _("Printed")
    GRANT = "grant", _("Granted access")
    GRANT_REQUESTED = "grant_requested", _("Asked for a role to be confirmed")
    GRANT_REFUSED = "grant_refused", _("Refused a requested role")
    REVOKE = "revoke", _("Revoked access")
    UPLOAD = "upload", _("Uploaded")
    DOWNLOAD = "download", _("Downloaded")
    ANONYMISE = "anonymise", _("Anonymised")
    ERASE = "erase", _("Erased on request")


AUTH_ACTIONS = (
    AuditAction.LOGIN,
    AuditAction.LOGIN_FAILED,
    AuditAction.LOGOUT,
    AuditAction.LOCKOUT,
    AuditAction.UNLOCK,
    AuditAction.TWO_FACTOR_ENROLLED,
    AuditAction.TWO_FACTOR_FAILED,
    AuditAction.TWO_FACTOR_RESET,
    AuditAction.TWO_FACTOR_VERIFIED,
    AuditAction.TWO_FACTOR_REPLACED,
    AuditAction.RECOVERY_CODE_USED,
    AuditAction.RECOVERY_CODES_NEW,
    AuditAction.REAUTHENTICATE,
)


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit event."""


# The hash chain --------------------------------------------------------------------------

# Bump it (and teach verify_audit both) if the encoding ever changes.
CHAIN_FORMAT = "strom-audit-1"

# The fields the hash covers, in this order (after the format tag and the previous hash).
CHAIN_FIELDS = (
    "seq",
    "occurred_at",
    "user_id",
    "username",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "municipality_id",
    "ip_address",
    "detail",
)


def _text(value):
    """One field as text: NULL is the empty string, a time is UTC with microseconds."""
    if value is None:
        return ""
    if hasattr(value, "astimezone"):
        value = value.astimezone(UTC)
        return f"{value:%Y-%m-%dT%H:%M:%S}.{value.microsecond:06d}Z"
    return str(value)


def canonical_bytes(previous_hash, **fields):
    """What `row_hash` is the SHA-256 of: the format tag, the previous event's hash and
    each of CHAIN_FIELDS, each written as its length in UTF-8 bytes, ":", the value and a
    newline. The SQL function strom_audit_row_hash (migration 0010) writes the same."""
    values = [CHAIN_FORMAT, previous_hash, *(fields[name] for name in CHAIN_FIELDS)]
    out = bytearray()
    for value in values:
        data = _text(value).encode()
        out += b"%d:%s\n" % (len(data), data)
    return bytes(out)


def event_hash(previous_hash, **fields):
    return hashlib.sha256(canonical_bytes(previous_hash, **fields)).hexdigest()


def chain_fields(event):
    """The values of CHAIN_FIELDS of a saved event, as the database holds them."""
    return {name: getattr(event, name) for name in CHAIN_FIELDS}


# The threads of one process (the development server) take turns at the Python chain, so
# that two requests do not both take the same next position. Across processes SQLite's
# single writer and the unique position refuse what would fork the chain.
_python_chain_lock = threading.Lock()


def _chain_in_python(using, events):
    """Give events their time, position and hash (databases without the trigger)."""
    last = (
        AuditEvent.objects.using(using)
        .filter(seq__isnull=False)
        .order_by("-seq")
        .values_list("seq", "row_hash")
        .first()
    )
    seq, previous = last or (0, "")
    ip_field = AuditEvent._meta.get_field("ip_address")
    for event in events:
        seq += 1
        event.occurred_at = timezone.now()
        event.seq = seq
        # As it will be stored (an IPv6 address is normalised).
        event.ip_address = ip_field.get_prep_value(event.ip_address) or None
        event.row_hash = previous = event_hash(previous, **chain_fields(event))


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")

    def delete(self):
        raise AppendOnlyError("The audit log is append-only.")

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if self.db and _needs_python_chain(self.db):
            with _python_chain_lock, transaction.atomic(using=self.db, savepoint=False):
                _chain_in_python(self.db, objs)
                return super().bulk_create(objs, *args, **kwargs)
        return super().bulk_create(objs, *args, **kwargs)


def _needs_python_chain(using):
    return connections[using].vendor != "postgresql"


class AuditEvent(models.Model):
    # Set by the database (PostgreSQL's trigger) or by save(), whatever the caller gives;
    # db_default makes Django read back what the trigger set.
    occurred_at = models.DateTimeField(
        _("time"), default=timezone.now, db_default=Now(), db_index=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # The name typed at sign-in, kept also when no such user exists.
    username = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        "strom.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    # The place in the hash chain and the hash (module docstring); set on insert.
    seq = models.BigIntegerField(
        _("position in the chain"), null=True, unique=True, editable=False, db_default=None
    )
    row_hash = models.CharField(
        _("chain hash"), max_length=64, blank=True, editable=False, db_default=""
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["municipality", "-occurred_at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self):
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_label}"
        )

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The audit log is append-only.")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        if _needs_python_chain(using):
            with _python_chain_lock, transaction.atomic(using=using, savepoint=False):
                _chain_in_python(using, [self])
                super().save(*args, **kwargs)
        else:
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")


def _ip_or_none(text):
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_ip(request):
    """The client's address, or None when it is not a valid address (a forged or broken
    X-Forwarded-For must not turn a sign-in into a server error)."""
    if request is None:
        return None
    if settings.STROM_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            # The right-most address is the one our own proxy saw.
            return _ip_or_none(forwarded.split(",")[-1])
    return _ip_or_none(request.META.get("REMOTE_ADDR") or "")


def record(
    action, *, request=None, user=None, obj=None, municipality=None, detail="", username=None
):
    """Append one event. `user` defaults to the request's signed-in user.

    On PostgreSQL the first event of a transaction takes the chain's lock until the
    transaction ends, and every other audit insert waits for it: in a long transaction,
    record late, and after any `select_for_update` (docs/database-roles.md)."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    if municipality is None and obj is not None:
        municipality = getattr(obj, "audit_municipality", None)
    return AuditEvent.objects.create(
        user=user,
        username=username if username is not None else (user.get_username() if user else ""),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj)[:200] if obj is not None else "",
        municipality=municipality,
        ip_address=client_ip(request),
        detail=detail[:500],
    )


# Checking the chain ------------------------------------------------------------------------


@dataclass
class ChainProblem:
    seq: int | None
    event_id: int | None
    message: str


@dataclass
class ChainReport:
    events: int
    head_seq: int
    head_hash: str
    problems: list

    @property
    def intact(self):
        return not self.problems


def verify_chain(*, time_tolerance=timedelta(minutes=5), anchors=(), using="default"):
    """Walk the whole log in chain order and recompute every hash.

    Finds an event changed after it was written (its hash no longer matches), one removed
    (a gap in the positions), one edited together with its hash (the next event no longer
    follows), one added with the triggers off (no position), an event more than
    `time_tolerance` earlier than the one before it (the database's clock only goes
    forward, give or take a clock adjustment), and, given
    `anchors` (pairs of position and hash written down by an earlier run), a log cut short
    or rewritten since.
    After a problem the walk goes on from the damaged event, so one report lists them all.
    """
    events = AuditEvent.objects.using(using)
    problems = []
    anchors = dict(anchors)
    expected, previous_hash, previous_time, count = 1, "", None, 0
    rows = (
        events.filter(seq__isnull=False)
        .order_by("seq")
        .values("id", "row_hash", *CHAIN_FIELDS)
        .iterator(chunk_size=2000)
    )
    for row in rows:
        count += 1
        seq, pk = row["seq"], row["id"]
        if seq != expected:
            gap = f"{expected}" if seq == expected + 1 else f"{expected} to {seq - 1}"
            problems.append(
                ChainProblem(seq, pk, f"position {gap} is missing before event {pk}: removed")
            )
        fields = {name: row[name] for name in CHAIN_FIELDS}
        # After a gap the hash cannot match: the gap is the news.
        if seq == expected and row["row_hash"] != event_hash(previous_hash, **fields):
            problems.append(
                ChainProblem(
                    seq,
                    pk,
                    f"event {pk} (position {seq}) does not match its hash: it was changed, "
                    "or the event before it was changed or removed",
                )
            )
        if previous_time is not None and row["occurred_at"] < previous_time - time_tolerance:
            problems.append(
                ChainProblem(
                    seq,
                    pk,
                    f"event {pk} (position {seq}) is dated {row['occurred_at']:%Y-%m-%d %H:%M:%S}"
                    f" UTC, earlier than the event before it ({previous_time:%Y-%m-%d %H:%M:%S}"
                    " UTC): its time was not set by the database, or the clock was set back",
                )
            )
        if seq in anchors and anchors.pop(seq) != row["row_hash"]:
            problems.append(
                ChainProblem(
                    seq,
                    pk,
                    f"position {seq} no longer has the hash an earlier check wrote down: "
                    "the log was rewritten from there on",
                )
            )
        expected, previous_hash, previous_time = seq + 1, row["row_hash"], row["occurred_at"]
    for seq in sorted(anchors):
        problems.append(
            ChainProblem(
                seq,
                None,
                f"position {seq}, written down by an earlier check, is no longer in the log: "
                "events were removed from its end",
            )
        )
    outside = list(events.filter(seq__isnull=True).order_by("id").values_list("id", flat=True))
    if outside:
        shown = ", ".join(str(pk) for pk in outside[:10]) + (", ..." if len(outside) > 10 else "")
        problems.append(
            ChainProblem(
                None,
                outside[0],
                f"{len(outside)} events are outside the chain (ids {shown}): "
                "written with the database's triggers switched off",
            )
        )
    return ChainReport(count + len(outside), expected - 1, previous_hash, problems)
