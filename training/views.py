"""Training pages. Events come from strom.access; changes go through training.actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from cases import once
from strom import access, uploads
from strom.audit import AuditAction, record
from strom.forms import add_errors_from
from strom.pdf import render_pdf
from strom.ratelimits import rate_limited

from . import actions
from .coverage import coverage, due_for_refresher
from .forms import EventForm, ExternalParticipantForm, MaterialForm, StaffParticipantForm
from .ics import event_to_ics
from .models import Certificate, Registration, Topic


def _event_page(request, pk):
    """Where a resent form of the event's page goes when what it made is unknown."""
    return reverse("training_detail", args=[pk])


def _failed(request, event, error):
    messages.error(request, " ".join(error.messages))
    return redirect(event)


def training_list(request):
    now = timezone.now()
    events = (
        access.trainings_for(request.user)
        .annotate(registered=Count("registrations"))
        .prefetch_related("topics")
    )
    mine = set(Registration.objects.filter(user=request.user).values_list("event_id", flat=True))
    return render(
        request,
        "training/list.html",
        {
            "upcoming": events.filter(starts_at__gte=now).order_by("starts_at"),
            "past": events.filter(starts_at__lt=now).order_by("-starts_at")[:50],
            "mine": mine,
            "can_organise": access.administered_municipalities(request.user).exists(),
            "can_see_coverage": access.coverage_municipalities(request.user).exists(),
        },
    )


def training_detail(request, pk):
    event = access.get_or_404(access.trainings_for(request.user).prefetch_related("topics"), pk=pk)
    organiser = access.organised_trainings(request.user).filter(pk=pk).exists()
    own = (
        Registration.objects.filter(event=event, user=request.user)
        .select_related("certificate")
        .first()
    )
    registrations = event.registrations.select_related("user", "certificate") if organiser else []
    return render(
        request,
        "training/detail.html",
        {
            "event": event,
            "organiser": organiser,
            "own": own,
            "registrations": registrations,
            "registered_count": event.registrations.count(),
            "started": event.starts_at <= timezone.now(),
            "can_register": access.can_register_for_training(request.user),
            "external_form": ExternalParticipantForm() if organiser else None,
            "staff_form": StaffParticipantForm(event=event) if organiser else None,
            "material_form": MaterialForm() if organiser else None,
            # One token per form: each adds a row once, however often it is sent.
            "once_external": organiser and once.token(request),
            "once_material": organiser and once.token(request),
            "materials": event.materials.all(),
        },
    )


def training_create(request):
    if not access.administered_municipalities(request.user).exists():
        raise Http404
    return _event_form(request, None)


def training_edit(request, pk):
    event = access.get_or_404(access.organised_trainings(request.user), pk=pk)
    return _event_form(request, event)


@once.shows_spent
def _event_form(request, event):
    form = EventForm(request.POST or None, instance=event, user=request.user)
    save = actions.save_event
    if event is None:  # sent twice, the form creates one event (a one-time token)
        save = once.wrap(request, save, url=lambda saved: saved.get_absolute_url())
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(
                by=request.user,
                request=request,
                event=form.save(commit=False),
                topics=form.cleaned_data["topics"],
            )
        except ValidationError as error:
            add_errors_from(form, error)
        else:
            messages.success(request, _("Training saved."))
            return redirect(saved)
    return render(
        request,
        "training/form.html",
        {"form": form, "event": event, "once": event is None and once.token(request)},
    )


@require_POST
def training_register(request, pk):
    event = access.get_or_404(access.trainings_for(request.user), pk=pk)
    if not access.can_register_for_training(request.user):
        raise Http404
    try:
        actions.register(by=request.user, request=request, event=event)
    except ValidationError as error:
        return _failed(request, event, error)
    messages.success(request, _("You are registered."))
    return redirect(event)


@require_POST
def training_cancel(request, pk, registration_pk):
    event = access.get_or_404(access.trainings_for(request.user), pk=pk)
    registration = access.get_or_404(event.registrations.all(), pk=registration_pk)
    if (
        registration.user_id != request.user.pk
        and not access.organised_trainings(request.user).filter(pk=pk).exists()
    ):
        raise Http404
    try:
        actions.cancel(by=request.user, request=request, registration=registration)
    except ValidationError as error:
        return _failed(request, event, error)
    messages.success(request, _("Registration cancelled."))
    return redirect(event)


@require_POST
@once.shows_spent(fallback=_event_page)
def training_external(request, pk):
    event = access.get_or_404(access.organised_trainings(request.user), pk=pk)
    form = ExternalParticipantForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the participant's name."))
        return redirect(event)
    try:
        # Sent twice, the form adds the participant once (a one-time token).
        once.wrap(request, actions.register_external, url=lambda _added: event.get_absolute_url())(
            by=request.user, request=request, event=event, **form.cleaned_data
        )
    except ValidationError as error:
        return _failed(request, event, error)
    messages.success(request, _("Participant added."))
    return redirect(event)


@require_POST
def training_add_staff(request, pk):
    """The organiser adds a member of staff, also after the training (recorded afterwards)."""
    event = access.get_or_404(access.organised_trainings(request.user), pk=pk)
    form = StaffParticipantForm(request.POST, event=event)
    if not form.is_valid():
        messages.error(request, _("Choose a member of staff of the municipality from the list."))
        return redirect(event)
    try:
        actions.register_staff(
            by=request.user, request=request, event=event, user=form.cleaned_data["user"]
        )
    except ValidationError as error:
        return _failed(request, event, error)
    messages.success(request, _("Participant added."))
    return redirect(event)


@require_POST
def training_attendance(request, pk):
    event = access.get_or_404(access.organised_trainings(request.user), pk=pk)
    try:
        ids = {int(value) for value in request.POST.getlist("attended")}
    except ValueError:
        ids = {-1}
    try:
        actions.mark_attendance(by=request.user, request=request, event=event, attended_ids=ids)
    except ValidationError as error:
        return _failed(request, event, error)
    messages.success(request, _("Attendance saved; attendees can download their certificate."))
    return redirect(event)


@require_POST
def training_invite(request, pk):
    event = access.get_or_404(access.organised_trainings(request.user), pk=pk)
    count = actions.invite(by=request.user, request=request, event=event)
    messages.success(request, _("Invitation sent to %(count)s people.") % {"count": count})
    return redirect(event)


@require_POST
@once.shows_spent(fallback=_event_page)
def training_material(request, pk):
    event = access.get_or_404(access.organised_trainings(request.user), pk=pk)
    form = MaterialForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(event)
    material = form.save(commit=False)
    material.event = event
    # A random stored name with the checked extension: the uploader's name is not kept.
    material.file.name = uploads.random_name(form.cleaned_data["file"].strom_kind.extension)

    def attach():
        with transaction.atomic():
            material.save()
            record(AuditAction.UPLOAD, request=request, obj=event, detail=f"material {material.pk}")

    try:
        # Sent twice, the form attaches the file once (a one-time token).
        once.run(request, attach, url=lambda _none: event.get_absolute_url())
    except BaseException:
        # The file was written before the row: remove it when the row is not there.
        if material.file.name and material.file.storage.exists(material.file.name):
            material.file.storage.delete(material.file.name)
        raise
    messages.success(request, _("Material attached."))
    return redirect(event)


def training_material_download(request, pk, material_pk):
    event = access.get_or_404(access.trainings_for(request.user), pk=pk)
    material = access.get_or_404(event.materials.all(), pk=material_pk)
    with material.file.open("rb") as stored:
        content = stored.read()
    # The type from the content, never from the name; anything else is an opaque download.
    kind = uploads.kind_of_stored(content[: uploads.HEAD_BYTES], uploads.TRAINING_MATERIAL_KINDS)
    return uploads.file_response(
        content,
        content_type=kind.content_type if kind else "application/octet-stream",
        filename=uploads.safe_filename(
            material.title, kind.extension if kind else "bin", fallback=f"material-{material.pk}"
        ),
    )


def training_ics(request, pk):
    event = access.get_or_404(access.trainings_for(request.user), pk=pk)
    response = HttpResponse(event_to_ics(event, request), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="strom-training-{event.pk}.ics"'
    return response


@rate_limited("pdf", "STROM_RATE_PDF", every_request=True)
def certificate_pdf(request, pk, registration_pk):
    """The attendee's certificate; also for the organisers."""
    event = access.get_or_404(access.trainings_for(request.user), pk=pk)
    registration = access.get_or_404(
        event.registrations.filter(attended=True, certificate__isnull=False).select_related(
            "certificate", "user"
        ),
        pk=registration_pk,
    )
    organiser = access.organised_trainings(request.user).filter(pk=pk).exists()
    if registration.user_id != request.user.pk and not organiser:
        raise Http404
    certificate = registration.certificate
    record(AuditAction.PRINT, request=request, obj=event, detail=f"certificate {certificate.pk}")
    content = render_pdf(
        "pdf/certificate.html",
        {
            "event": event,
            "registration": registration,
            "certificate": certificate,
            "verify_url": request.build_absolute_uri(certificate.get_verify_url()),
            "topics": [Topic(t.topic).label for t in event.topics.all()],
        },
        language=request.LANGUAGE_CODE,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{event.pk}.pdf"'
    return response


@login_not_required
@require_GET
@never_cache
def certificate_verify(request, code):
    """Public: confirms a certificate by its code, showing only name, training and date."""
    certificate = (
        Certificate.objects.select_related("registration__event", "registration__user")
        .filter(code=code, registration__attended=True)
        .first()
    )
    if certificate is None:
        return render(request, "training/verify.html", {"certificate": None}, status=404)
    registration = certificate.registration
    return render(
        request,
        "training/verify.html",
        {
            "certificate": certificate,
            "name": registration.participant_name,
            "title": registration.event.title,
            "date": registration.event.starts_at,
        },
    )


def training_coverage(request):
    municipalities = list(access.coverage_municipalities(request.user).order_by("name"))
    if not municipalities:
        raise Http404
    return render(
        request,
        "training/coverage.html",
        {
            "rows": coverage(municipalities),
            "topics": Topic.choices,
            "due": due_for_refresher(municipalities[0]) if len(municipalities) == 1 else None,
            "municipalities": municipalities,
        },
    )
