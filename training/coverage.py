"""Training coverage of front-line staff: for each organisation and role, the share of its
people trained on each core topic within the last twelve months. Two aggregate queries,
whatever the number of people."""

import datetime
from collections import defaultdict

from django.db.models import Count
from django.utils import timezone

from strom.models import Membership, Role

from .models import FRONT_LINE_ROLES, Registration, Topic

WINDOW = datetime.timedelta(days=365)


def coverage(municipalities, now=None):
    now = now or timezone.now()
    since = now - WINDOW
    municipalities = list(municipalities)
    staff = (
        Membership.objects.active()
        .filter(actor__municipality__in=municipalities, role__in=FRONT_LINE_ROLES)
        .values(
            "actor_id", "actor__name", "actor__municipality_id", "actor__municipality__name", "role"
        )
        .annotate(people=Count("user", distinct=True))
        .order_by("actor__municipality__name", "actor__name", "role")
    )
    trained = (
        Registration.objects.filter(
            attended=True,
            event__starts_at__gte=since,
            event__starts_at__lte=now,
            user__memberships__ended_at__isnull=True,
            user__memberships__role__in=FRONT_LINE_ROLES,
            user__memberships__actor__municipality__in=municipalities,
        )
        .values("user__memberships__actor_id", "user__memberships__role", "event__topics__topic")
        .annotate(people=Count("user", distinct=True))
    )
    counts = defaultdict(int)
    for row in trained:
        key = (
            row["user__memberships__actor_id"],
            row["user__memberships__role"],
            row["event__topics__topic"],
        )
        counts[key] = row["people"]
    rows = []
    for group in staff:
        cells = []
        for topic in Topic:
            done = counts[(group["actor_id"], group["role"], topic.value)]
            cells.append({"trained": done, "share": round(100 * done / group["people"])})
        rows.append({**group, "role_label": Role(group["role"]).label, "cells": cells})
    return rows


def due_for_refresher(municipality, now=None):
    """Front-line people of the municipality with no attended training within twelve months."""
    now = now or timezone.now()
    # user_id IS NOT NULL: external participants have none, and one NULL would make the
    # NOT IN below match nobody.
    recent = Registration.objects.filter(
        attended=True,
        user__isnull=False,
        event__starts_at__gte=now - WINDOW,
        event__starts_at__lte=now,
    ).values("user_id")
    return (
        Membership.objects.active()
        .filter(actor__municipality=municipality, role__in=FRONT_LINE_ROLES)
        .exclude(user_id__in=recent)
        .select_related("user", "actor")
        .order_by("user__last_name", "user__first_name")
    )
