"""Referral pathway pages. Pathways come from strom.access (`pathways_for` to read,
`editable_pathways` to change); anything outside the user's scope is a 404. Changes go
through referrals.pathways."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from strom import access
from strom.forms import add_errors_from

from . import pathways
from .models import Pathway, PathwayStep
from .pathway_forms import AdoptForm, MoveForm, PathwayForm, StepForm


def _editable_step(user, pk, step_pk):
    """A step of an editable pathway, addressed through its own pathway: a step id of
    another pathway is a 404."""
    pathway = access.get_or_404(access.editable_pathways(user), pk=pk)
    step = access.get_or_404(
        PathwayStep.objects.select_related("responsible_actor"), pk=step_pk, pathway=pathway
    )
    step.pathway = pathway
    return pathway, step


def _messages_from(request, error):
    for message in error.messages:
        messages.error(request, message)


def pathway_list(request):
    rows = access.pathways_for(request.user).annotate(step_count=Count("steps"))
    countries, municipalities = pathways.creatable_owners(request.user)
    return render(
        request,
        "referrals/pathway_list.html",
        {
            "pathways": rows,
            "can_create": countries.exists() or municipalities.exists(),
        },
    )


def pathway_detail(request, pk):
    user = request.user
    pathway = access.get_or_404(access.pathways_for(user), pk=pk)
    steps = pathway.steps.select_related("responsible_actor").order_by("order", "id")
    origin_visible = (
        pathway.origin_id is not None
        and access.pathways_for(user).filter(pk=pathway.origin_id).exists()
    )
    adoptions = []
    adaptations = []
    if pathway.is_national:
        adopted = {
            p.municipality_id: p
            for p in Pathway.objects.filter(origin=pathway).select_related("municipality")
        }
        adoptions = [
            (municipality, adopted.get(municipality.pk))
            for municipality in pathways.adoptable_municipalities(user, pathway)
        ]
        adaptations = access.pathways_for(user).filter(origin=pathway)
    return render(
        request,
        "referrals/pathway_detail.html",
        {
            "pathway": pathway,
            "steps": steps,
            "can_edit": access.editable_pathways(user).filter(pk=pathway.pk).exists(),
            "origin_visible": origin_visible,
            "adoptions": adoptions,
            "adaptations": adaptations,
        },
    )


def pathway_create(request):
    form = PathwayForm(request.POST or None, user=request.user)
    if not form.has_owners():
        raise Http404
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pathway = pathways.create_pathway(
                by=request.user,
                request=request,
                country=data["country"],
                municipality=data["municipality"],
                name=data["name"],
                description=data["description"],
            )
        except ValidationError as error:
            add_errors_from(form, error)
        else:
            messages.success(request, _("Pathway created. Now add its steps."))
            return redirect(pathway)
    return render(request, "referrals/pathway_form.html", {"form": form})


def pathway_edit(request, pk):
    pathway = access.get_or_404(access.editable_pathways(request.user), pk=pk)
    form = PathwayForm(request.POST or None, instance=pathway, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            pathways.save_pathway(by=request.user, request=request, pathway=form.save(commit=False))
        except ValidationError as error:
            add_errors_from(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(pathway)
    return render(request, "referrals/pathway_form.html", {"form": form, "pathway": pathway})


@require_POST
def pathway_adopt(request, pk):
    pathway = access.get_or_404(
        access.pathways_for(request.user).filter(municipality__isnull=True), pk=pk
    )
    form = AdoptForm(request.POST, user=request.user, pathway=pathway)
    if not form.is_valid():
        # No municipality she coordinates in the pathway's country, or a tampered one.
        raise Http404
    try:
        copy = pathways.adopt_pathway(
            by=request.user,
            request=request,
            pathway=pathway,
            municipality=form.cleaned_data["municipality"],
        )
    except ValidationError as error:
        _messages_from(request, error)
        return redirect(pathway)
    messages.success(
        request,
        _("Adopted for %(municipality)s. Now adapt the copy: name the organisations.")
        % {"municipality": copy.municipality.name},
    )
    return redirect(copy)


def step_add(request, pk):
    pathway = access.get_or_404(access.editable_pathways(request.user), pk=pk)
    form = StepForm(
        request.POST or None,
        instance=PathwayStep(pathway=pathway),
        user=request.user,
        pathway=pathway,
    )
    if request.method == "POST" and form.is_valid():
        try:
            pathways.save_step(by=request.user, request=request, step=form.save(commit=False))
        except ValidationError as error:
            add_errors_from(form, error)
        else:
            messages.success(request, _("Step added."))
            return redirect(pathway)
    return render(request, "referrals/step_form.html", {"form": form, "pathway": pathway})


def step_edit(request, pk, step_pk):
    pathway, step = _editable_step(request.user, pk, step_pk)
    form = StepForm(request.POST or None, instance=step, user=request.user, pathway=pathway)
    if request.method == "POST" and form.is_valid():
        try:
            pathways.save_step(by=request.user, request=request, step=form.save(commit=False))
        except ValidationError as error:
            add_errors_from(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(pathway)
    return render(
        request,
        "referrals/step_form.html",
        {
            "form": form,
            "pathway": pathway,
            "step": step,
            "in_use": step.referrals.exists(),
        },
    )


@require_POST
def step_move(request, pk, step_pk):
    pathway, step = _editable_step(request.user, pk, step_pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Move a step up or down."))
    pathways.move_step(
        by=request.user, request=request, step=step, direction=form.cleaned_data["direction"]
    )
    return redirect(f"{pathway.get_absolute_url()}#step-{step.pk}")


@require_POST
def step_remove(request, pk, step_pk):
    pathway, step = _editable_step(request.user, pk, step_pk)
    try:
        pathways.remove_step(by=request.user, request=request, step=step)
    except ValidationError as error:
        _messages_from(request, error)
    else:
        messages.success(request, _("Step removed."))
    return redirect(pathway)
