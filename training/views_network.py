"""Prevention work (coordinators record it; administrators and national coordinators read it)
and the expert directory (every signed-in user; only opted-in, active people are listed)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cases import once
from strom import access
from strom import languages as spoken_languages
from strom.forms import add_errors_from
from strom.models import Role

from . import network
from .forms_network import ExpertFilter, ExpertProfileForm, PreventionFilter, PreventionForm
from .models import ExpertProfile, RiskGroup

PAGE_SIZE = 50


# Prevention ---------------------------------------------------------------------------------


def _reads_prevention(user):
    """Whether `access.prevention_for(user)` has a scope at all: coordinators and
    administrators (their municipalities), national coordinators (their country)."""
    return bool(
        access.municipality_ids(user, Role.COORDINATOR, Role.ADMINISTRATOR)
        or access.national_country_ids(user)
    )


def _totals(activities):
    """People reached and number of activities per year and per group at risk, each in one
    aggregate query over the (filtered) activities."""
    sums = {"activities": Count("id"), "people": Sum("people_reached")}
    unordered = activities.order_by()
    per_year = list(
        unordered.values(year=ExtractYear("held_on")).annotate(**sums).order_by("-year")
    )
    order = {value: i for i, value in enumerate(RiskGroup.values)}
    per_group = sorted(
        unordered.values("target_group").annotate(**sums).order_by("target_group"),
        key=lambda row: order.get(row["target_group"], len(order)),
    )
    for row in per_group:
        row["label"] = (
            RiskGroup(row["target_group"]).label
            if row["target_group"] in order
            else row["target_group"]
        )
    overall = {
        "activities": sum(row["activities"] for row in per_year),
        "people": sum(row["people"] or 0 for row in per_year),
    }
    return per_year, per_group, overall


def prevention_list(request):
    user = request.user
    if not _reads_prevention(user):
        raise Http404
    activities = access.prevention_for(user)
    years = [d.year for d in activities.dates("held_on", "year", order="DESC")]
    filterset = PreventionFilter(
        request.GET,
        queryset=activities.select_related("municipality__country").order_by("-held_on", "-id"),
        years=years,
    )
    per_year, per_group, overall = _totals(filterset.qs)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    editable = access.municipality_ids(user, Role.COORDINATOR)
    return render(
        request,
        "training/prevention_list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": [(a, a.municipality_id in editable) for a in page],
            "year_totals": per_year,
            "group_totals": per_group,
            "overall": overall,
            "can_add": bool(editable),
        },
    )


def _save_activity(request, form, *, action=network.save_activity):
    try:
        return action(by=request.user, request=request, activity=form.save(commit=False))
    except ValidationError as error:
        add_errors_from(form, error)
        return None


@once.shows_spent
def prevention_create(request):
    if not access.municipality_ids(request.user, Role.COORDINATOR):
        raise Http404
    form = PreventionForm(request.POST or None, user=request.user)
    # Sent twice, the form records the activity once (a one-time token).
    record = once.wrap(
        request, network.save_activity, url=lambda _saved: reverse("prevention_list")
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_activity(request, form, action=record)
    ):
        messages.success(request, _("Prevention activity recorded."))
        return redirect("prevention_list")
    return render(
        request, "training/prevention_form.html", {"form": form, "once": once.token(request)}
    )


def prevention_edit(request, pk):
    activity = access.get_or_404(
        access.editable_prevention(request.user).select_related("municipality"), pk=pk
    )
    form = PreventionForm(request.POST or None, instance=activity, user=request.user)
    if request.method == "POST" and form.is_valid() and _save_activity(request, form):
        messages.success(request, _("Changes saved."))
        return redirect("prevention_list")
    return render(request, "training/prevention_form.html", {"form": form, "activity": activity})


# Experts ------------------------------------------------------------------------------------


def expert_directory(request):
    filterset = ExpertFilter(
        request.GET,
        queryset=access.listed_experts(request.user).order_by(
            "user__last_name", "user__first_name", "id"
        ),
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(p, [spoken_languages.name(code) for code in p.languages or []]) for p in page]
    own = ExpertProfile.objects.filter(user=request.user).values_list("listed", flat=True).first()
    return render(
        request,
        "training/expert_directory.html",
        {"filter": filterset, "page": page, "rows": rows, "own_listed": own},
    )


def _first_membership(user):
    found = access.memberships(user)
    return min(found, key=lambda m: (m.started_at, m.pk)) if found else None


def expert_profile(request):
    """The signed-in user's own profile; created on the first save. Nothing here reads an id
    from the request, so no one reaches another person's profile."""
    profile = (
        ExpertProfile.objects.filter(user=request.user)
        .select_related("municipality", "country")
        .first()
    )
    if profile is None:
        first = _first_membership(request.user)
        profile = ExpertProfile(
            user=request.user,
            country_id=first.actor.country_id if first else None,
            municipality_id=first.actor.municipality_id if first else None,
        )
    form = ExpertProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            network.save_profile(by=request.user, request=request, profile=form.save(commit=False))
        except ValidationError as error:
            add_errors_from(form, error)
        else:
            messages.success(request, _("Your expert profile is saved."))
            return redirect("expert_profile")
    return render(
        request,
        "training/expert_profile.html",
        {"form": form, "profile": profile if profile.pk else None},
    )
