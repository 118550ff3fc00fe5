"""Service map pages. Services come from strom.access; a confidential address is shown only
where `access.address_reader` allows it, in pages, map data and HTMX fragments alike."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import once
from strom import access
from strom.forms import add_errors_from
from strom.models import Role

from . import actions
from .filters import ServiceFilter
from .forms import CapacityForm, ServiceForm
from .gaps import gap_table
from .models import Service

PAGE_SIZE = 50


def _rows(user, services):
    """(service, may_see_address) pairs."""
    may_see = access.address_reader(user)
    return [(service, may_see(service)) for service in services]


def _map_points(rows):
    """Pins for the map: only services whose address the user may see."""
    return [
        {
            "name": service.name,
            "lat": float(service.latitude),
            "lng": float(service.longitude),
            "url": service.get_absolute_url(),
            "provider": service.provider.name,
        }
        for service, may_see in rows
        if may_see and service.latitude is not None
    ]


def service_list(request):
    services = access.services_for(request.user).prefetch_related("categories", "languages")
    filterset = ServiceFilter(
        request.GET, queryset=services.order_by("name", "id"), request=request
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = _rows(request.user, page)
    return render(
        request,
        "services/service_list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": rows,
            "map_points": _map_points(rows),
            "map_tiles": settings.STROM_MAP_TILE_URL,
            "map_attribution": settings.STROM_MAP_ATTRIBUTION,
            "can_add": access.service_providers_for(request.user).exists(),
            "can_export": access.administered_municipalities(request.user).exists(),
        },
    )


def service_detail(request, pk):
    service = access.get_or_404(
        access.services_for(request.user).prefetch_related("categories", "languages", "hours"),
        pk=pk,
    )
    can_edit = access.editable_services(request.user).filter(pk=service.pk).exists()
    return render(
        request,
        "services/service_detail.html",
        {
            "service": service,
            "may_see_address": access.address_reader(request.user)(service),
            "can_edit": can_edit,
            "capacity_form": CapacityForm(instance=service) if can_edit else None,
        },
    )


def _save(request, form, service, *, action=actions.save_service):
    data = form.cleaned_data
    try:
        return action(
            by=request.user,
            request=request,
            service=service,
            categories=data["categories"],
            languages=data["languages"],
            hours=data["hours"],
        )
    except ValidationError as error:
        add_errors_from(form, error)
        return None


@once.shows_spent
def service_create(request):
    if not access.can_manage_services(request.user):
        raise Http404
    form = ServiceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        # Sent twice, the form adds one service (a one-time token).
        add = once.wrap(request, actions.save_service, url=lambda added: added.get_absolute_url())
        service = _save(request, form, form.save(commit=False), action=add)
        if service:
            messages.success(request, _("Service added."))
            return redirect(service)
    return render(
        request, "services/service_form.html", {"form": form, "once": once.token(request)}
    )


def service_edit(request, pk):
    service = access.get_or_404(access.editable_services(request.user), pk=pk)
    form = ServiceForm(request.POST or None, instance=service, user=request.user)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(request, form, form.save(commit=False))
    ):
        messages.success(request, _("Changes saved."))
        return redirect(service)
    return render(request, "services/service_form.html", {"form": form, "service": service})


@require_POST
def service_capacity(request, pk):
    """Free places, from the service page (HTMX swaps the capacity block)."""
    service = access.get_or_404(access.editable_services(request.user), pk=pk)
    form = CapacityForm(request.POST, instance=Service.objects.get(pk=service.pk))
    if form.is_valid():
        try:
            service = actions.update_capacity(
                by=request.user,
                request=request,
                service=service,
                available=form.cleaned_data["capacity_available"],
                maximum=form.cleaned_data["capacity_maximum"],
            )
        except ValidationError as error:
            add_errors_from(form, error)
    if request.headers.get("HX-Request"):
        return render(
            request,
            "services/_capacity.html",
            {
                "service": service,
                "can_edit": True,
                "capacity_form": form if form.errors else CapacityForm(instance=service),
                "saved": not form.errors,
            },
        )
    if form.errors:
        messages.error(
            request,
            _("Capacity not changed: %(errors)s")
            % {"errors": " ".join(str(e) for errors in form.errors.values() for e in errors)},
        )
    else:
        messages.success(request, _("Capacity updated."))
    return redirect(service)


def gaps(request):
    """Need categories against municipalities: a coordinator's own municipality first, then
    the others of her country to compare with; a national coordinator the whole country."""
    if not access.can_see_gaps(request.user):
        raise Http404
    own = access.municipality_ids(request.user, Role.COORDINATOR, Role.ADMINISTRATOR)
    available = sorted(
        access.gap_municipalities(request.user), key=lambda m: (m.pk not in own, m.name)
    )
    wanted = set(request.GET.getlist("m"))
    chosen = [m for m in available if str(m.pk) in wanted] or available
    return render(
        request,
        "services/gaps.html",
        {
            "table": gap_table(chosen),
            "municipalities": chosen,
            "available": available,
            "wanted": {str(m.pk) for m in chosen},
        },
    )
