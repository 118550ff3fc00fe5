"""Gap analysis: for each need category and municipality, the active services that provide
it, those that only could, and the free capacity. Computed in the database in one query."""

from collections import defaultdict

from django.db.models import Count, Q, Sum

from strom.taxonomy import NeedCategory

from .models import AreaLevel, Provision, ServiceCategory, ServiceStatus

COVERED, COULD_ONLY, GAP = "covered", "could_only", "gap"
COUNTRY_WIDE = (AreaLevel.REGION, AreaLevel.NATIONAL)


def gap_table(municipalities):
    """Rows per need category with one cell per municipality (in the given order), each a
    dict: provides, could, available (free capacity reported, None if nobody reported),
    country_wide (regional and national services that also serve it) and status."""
    municipalities = list(municipalities)
    countries = {m.country_id for m in municipalities}
    counts = (
        ServiceCategory.objects.filter(service__status=ServiceStatus.ACTIVE)
        .filter(
            Q(service__municipality__in=municipalities, service__area_level=AreaLevel.MUNICIPALITY)
            | Q(service__country_id__in=countries, service__area_level__in=COUNTRY_WIDE)
        )
        .values(
            "category",
            "service__municipality_id",
            "service__country_id",
            "service__area_level",
            "service__provision",
        )
        .annotate(
            services=Count("service", distinct=True), available=Sum("service__capacity_available")
        )
        .order_by()
    )
    local = defaultdict(lambda: {"provides": 0, "could": 0, "available": None})
    wide = defaultdict(lambda: {"provides": 0, "could": 0})
    for row in counts:
        kind = "provides" if row["service__provision"] == Provision.PROVIDES else "could"
        if row["service__area_level"] in COUNTRY_WIDE:
            wide[(row["category"], row["service__country_id"])][kind] += row["services"]
            continue
        cell = local[(row["category"], row["service__municipality_id"])]
        cell[kind] += row["services"]
        if kind == "provides" and row["available"] is not None:
            cell["available"] = (cell["available"] or 0) + row["available"]
    table = []
    for category in NeedCategory:
        cells = []
        for municipality in municipalities:
            cell = dict(local[(category.value, municipality.pk)])
            w = wide[(category.value, municipality.country_id)]
            cell["country_wide"] = w["provides"]
            if cell["provides"] or w["provides"]:
                cell["status"] = COVERED
            elif cell["could"] or w["could"]:
                cell["status"] = COULD_ONLY
            else:
                cell["status"] = GAP
            cells.append(cell)
        table.append({"category": category, "cells": cells})
    return table
