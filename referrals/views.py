"""Referral pages: a case's chain of assistance, one referral, a provider's inbox. Every
referral comes from strom.access; every change goes through referrals.actions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.reads import viewed
from strom import access

from . import actions
from .forms import CompleteForm, DeclineForm, OverrideForm, ReasonForm, SendForm, StartPathwayForm
from .models import EscalationEvent, ReferralStatus

S = ReferralStatus


def _done(request, referral, message):
    messages.success(request, message)
    return redirect("referral_detail", pk=referral.pk)


def _seen(request):
    """The state of the referral the posting page showed (actions.version), if it said."""
    return request.POST.get("seen") or None


def _failed(request, referral, error):
    messages.error(request, " ".join(error.messages))
    return redirect("referral_detail", pk=referral.pk)


# A case's chain of assistance ---------------------------------------------------------------


def case_pathway(request, reference):
    case = access.get_or_404(access.cases_for(request.user), reference=reference)
    referrals = (
        case.referrals.with_urgency()
        .select_related("step__pathway", "to_actor", "to_user", "service")
        .prefetch_related(Prefetch("escalations", queryset=EscalationEvent.objects.order_by("at")))
        .order_by("step__pathway", "step__order", "id")
    )
    can_coordinate = access.coordinated_cases(request.user).filter(pk=case.pk).exists()
    viewed(request, case)  # "pathway": the chain of assistance
    return render(
        request,
        "referrals/case_pathway.html",
        {
            "case": case,
            "referrals": referrals,
            "can_coordinate": can_coordinate,
            "start_form": StartPathwayForm(user=request.user, case=case)
            if can_coordinate
            else None,
        },
    )


@require_POST
def start_pathway(request, reference):
    case = access.get_or_404(access.coordinated_cases(request.user), reference=reference)
    form = StartPathwayForm(request.POST, user=request.user, case=case)
    if not form.is_valid():
        messages.error(request, _("Choose one of the municipality's pathways."))
    else:
        try:
            steps = actions.start_pathway(
                by=request.user, request=request, case=case, pathway=form.cleaned_data["pathway"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Pathway started: %(count)s steps.") % {"count": len(steps)}
            )
    return redirect("case_pathway", reference=case.reference)


# One referral ---------------------------------------------------------------------------------


def referral_detail(request, pk):
    referral = access.get_or_404(access.referrals_for(request.user), pk=pk)
    return _detail(request, referral)


def _detail(request, referral, send_form=None, status=200):
    """The referral page; `send_form`: a refused send form, shown with its errors and the
    warnings it found."""
    pk = referral.pk
    can_coordinate = access.coordinated_referrals(request.user).filter(pk=pk).exists()
    is_recipient = access.received_referrals(request.user).filter(
        pk=pk
    ).exists() and access.is_recipient(request.user, referral)
    items = actions.shared_items(referral)
    case = referral.case
    # Filed under the case, so that it is in the case's access log, whoever read it (the
    # recipient reads the summary shared with her).
    viewed(request, case, f"referral {referral.pk}")
    context = {
        "referral": referral,
        "case": case,
        "person": case.person,
        "items": items,
        "open_needs": [n for n in case.needs.all() if n.is_open],
        "transitions": referral.transitions.select_related("by", "to_actor"),
        "escalations": referral.escalations.all(),
        "can_coordinate": can_coordinate,
        "is_recipient": is_recipient,
        "case_side": can_coordinate or access.cases_for(request.user).filter(pk=case.pk).exists(),
    }
    if can_coordinate and not referral.is_final:
        context["send_form"] = send_form or SendForm(user=request.user, referral=referral)
        context["seen"] = (send_form and _seen(request)) or actions.version(referral)
        context["reason_form"] = ReasonForm()
        context["override_form"] = OverrideForm()
    if is_recipient:
        context["decline_form"] = DeclineForm()
        context["complete_form"] = CompleteForm()
    return render(request, "referrals/referral_detail.html", context, status=status)


def _coordinated(request, pk):
    return access.get_or_404(access.coordinated_referrals(request.user), pk=pk)


def _received(request, pk):
    return access.get_or_404(access.received_referrals(request.user), pk=pk)


@require_POST
def referral_send(request, pk):
    referral = _coordinated(request, pk)
    form = SendForm(request.POST, user=request.user, referral=referral)
    if not form.is_valid():
        if "to_actor" in form.errors:
            messages.error(request, _("Choose an organisation to send the step to."))
            return redirect("referral_detail", pk=referral.pk)
        # Shown again with the warnings and the reason asked for; nothing was sent.
        return _detail(request, referral, send_form=form)
    try:
        actions.send(
            by=request.user,
            request=request,
            referral=referral,
            seen=_seen(request),
            **form.cleaned_data,
        )
    except ValidationError as error:
        return _failed(request, referral, error)
    return _done(
        request, referral, _("Sent to %(actor)s.") % {"actor": form.cleaned_data["to_actor"]}
    )


def _with_reason(request, pk, action, message):
    referral = _coordinated(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason."))
        return redirect("referral_detail", pk=referral.pk)
    try:
        action(
            by=request.user,
            request=request,
            referral=referral,
            reason=form.cleaned_data["reason"],
            seen=_seen(request),
        )
    except ValidationError as error:
        return _failed(request, referral, error)
    return _done(request, referral, message)


@require_POST
def referral_hold(request, pk):
    return _with_reason(request, pk, actions.hold, _("Put on hold."))


@require_POST
def referral_withdraw(request, pk):
    return _with_reason(request, pk, actions.withdraw, _("Withdrawn."))


@require_POST
def referral_expire(request, pk):
    return _with_reason(request, pk, actions.expire, _("Marked as expired."))


@require_POST
def referral_override(request, pk):
    referral = _coordinated(request, pk)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the information and give the reason."))
        return redirect("referral_detail", pk=referral.pk)
    try:
        actions.override_consent(
            by=request.user, request=request, referral=referral, **form.cleaned_data
        )
    except ValidationError as error:
        return _failed(request, referral, error)
    return _done(request, referral, _("Recorded: shared without consent, with the reason."))


def _answer(request, pk, action, message, form_class=None, invalid=""):
    """A recipient's answer: accept, start, decline (with a reason), complete (with an
    outcome)."""
    referral = _received(request, pk)
    data = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, invalid)
            return redirect("referral_detail", pk=referral.pk)
        data = form.cleaned_data
    try:
        action(by=request.user, request=request, referral=referral, **data)
    except ValidationError as error:
        return _failed(request, referral, error)
    return _done(request, referral, message)


@require_POST
def referral_accept(request, pk):
    return _answer(request, pk, actions.accept, _("Accepted."))


@require_POST
def referral_start(request, pk):
    return _answer(request, pk, actions.start_work, _("Marked as in progress."))


@require_POST
def referral_decline(request, pk):
    return _answer(
        request,
        pk,
        actions.decline,
        _("Declined. The coordinator has been told."),
        DeclineForm,
        _("Choose a reason for declining."),
    )


@require_POST
def referral_complete(request, pk):
    return _answer(
        request, pk, actions.complete, _("Completed."), CompleteForm, _("Choose the outcome.")
    )


# A provider's inbox ------------------------------------------------------------------------


def inbox(request):
    if not access.provider_actor_ids(request.user):
        raise Http404
    # The most urgent first: overdue, then by the deadline that runs now. One query.
    referrals = list(access.received_referrals(request.user).most_urgent_first())
    waiting = [r for r in referrals if r.status == S.SENT]
    return render(
        request,
        "referrals/inbox.html",
        {
            "waiting": waiting,
            "overdue_count": sum(1 for r in referrals if r.overdue),
            "open": [r for r in referrals if r.status in (S.ACCEPTED, S.IN_PROGRESS, S.ON_HOLD)],
            "closed": sorted(
                (
                    r
                    for r in referrals
                    if r.status in (S.COMPLETED, S.DECLINED, S.WITHDRAWN, S.EXPIRED)
                ),
                key=lambda r: (r.sent_at is not None, r.sent_at, r.pk),
                reverse=True,
            )[:50],
        },
    )
