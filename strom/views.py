"""Views of the shared core: thin. Objects come from strom.access, changes go through
strom.actions."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import access, actions, twofactor
from .filters import ActorFilter, AuditEventFilter
from .forms import ActorForm, MembershipForm, PersonCreateForm, PersonForm, add_errors_from
from .models import Actor, ActorLevel, Heartbeat, Role, RoleRequest
from .ratelimits import rate_limited
from .reauth import recent_auth_required

User = get_user_model()
PAGE_SIZE = 50


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# Home --------------------------------------------------------------------------


def home(request):
    user = request.user
    ms = access.memberships(user)
    context = {"memberships": ms, "sections": []}
    if user.is_superuser or access.has_role(user, Role.COORDINATOR, Role.ADMINISTRATOR):
        context["background_jobs_late"] = Heartbeat.background_jobs_late()
    seen = set()
    for m in ms:
        key = (
            m.role,
            m.actor.municipality_id if m.role != Role.NATIONAL_COORDINATOR else None,
            m.actor.country_id,
        )
        if key in seen:
            continue
        seen.add(key)
        context["sections"].append(_home_section(user, m))
    return render(request, "strom/home.html", context)


def _home_section(user, membership):
    """What one role sees on the home page, for one municipality or country."""
    role = membership.role
    actor = membership.actor
    section = {"membership": membership, "template": f"strom/home/_{role}.html"}
    if role == Role.NATIONAL_COORDINATOR:
        section["municipalities"] = (
            access.municipalities_for(user)
            .filter(country_id=actor.country_id)
            .annotate(
                active_actors=Count("actors", filter=Q(actors__is_active=True), distinct=True),
                active_staff=Count(
                    "actors__memberships__user",
                    filter=Q(actors__memberships__ended_at__isnull=True),
                    distinct=True,
                ),
            )
            .order_by("name")
        )
        section["escalated"] = (
            access.escalated_to_national(user)
            .filter(case__municipality__country_id=actor.country_id)
            .order_by("response_due_at")[:20]
        )
        section["national_actors"] = access.actors_for(user).filter(
            country_id=actor.country_id,
            level__in=[ActorLevel.NATIONAL, ActorLevel.REGIONAL],
            is_active=True,
        )
        return section
    municipality = actor.municipality
    section["municipality"] = municipality
    local_actors = access.actors_for(user).filter(is_active=True)
    if municipality is not None:
        local_actors = local_actors.filter(
            Q(municipality=municipality)
            | Q(country_id=actor.country_id, level__in=[ActorLevel.REGIONAL, ActorLevel.NATIONAL])
        )
    section["contacts"] = local_actors.order_by("level", "kind", "name")
    if role in (Role.SOCIAL_WORKER, Role.COORDINATOR) and municipality is not None:
        section["cases"] = _case_summary(user, municipality, role)
    if role == Role.COORDINATOR and municipality is not None:
        section["attention"] = _needs_attention(user, municipality)
    if role == Role.SERVICE_PROVIDER:
        # What waits for her answer, and what is overdue (answer or completion).
        section["inbox"] = access.received_referrals(user).filter(to_actor=actor).inbox_counts()
    if role in (Role.COORDINATOR, Role.ADMINISTRATOR) and municipality is not None:
        section["staff_by_role"] = [
            {"label": Role(row["role"]).label, "count": row["count"]}
            for row in access.memberships_for(user)
            .active()
            .filter(actor__municipality=municipality)
            .values("role")
            .annotate(count=Count("user", distinct=True))
            .order_by("role")
        ]
        section["recent_events"] = access.audit_events_for(user, municipality=municipality)[:5]
    return section


def _needs_attention(user, municipality):
    """Referrals waiting past their answer deadline, and declined ones to re-route."""
    from django.utils import timezone

    from referrals.models import ReferralStatus

    # Overdue as the inbox and the referral page define it (Referral.objects.overdue).
    return (
        access.coordinated_referrals(user)
        .filter(case__municipality=municipality)
        .most_urgent_first(timezone.now())
        .filter(
            Q(is_overdue=True) | Q(status__in=[ReferralStatus.DECLINED, ReferralStatus.EXPIRED])
        )
        .select_related("case", "step", "to_actor")[:20]
    )


def _case_summary(user, municipality, role=None):
    """Open cases the user sees in the municipality, by identification status. A social
    worker's "open cases" are the people she helps as (potential) victims: not "Not a victim"."""
    from cases.choices import Identification, Lifecycle

    statuses = list(Identification)
    if role == Role.SOCIAL_WORKER:
        statuses.remove(Identification.NOT_VICTIM)
    counts = dict(
        access.cases_for(user)
        .filter(municipality=municipality, identification__in=statuses)
        .exclude(lifecycle=Lifecycle.CLOSED)
        .order_by()
        .values_list("identification")
        .annotate(count=Count("id"))
    )
    rows = [
        {"label": status.label, "value": status.value, "count": counts.get(status.value, 0)}
        for status in statuses
    ]
    return {"rows": rows, "total": sum(counts.values())}


# Actors --------------------------------------------------------------------------


def actor_list(request):
    actors = access.actors_for(request.user).order_by("municipality__name", "name")
    filterset = ActorFilter(request.GET, queryset=actors, request=request)
    return render(
        request,
        "strom/actor_list.html",
        {
            "filter": filterset,
            "page": _page(request, filterset.qs),
            "can_add": access.administered_municipalities(request.user).exists(),
        },
    )


def actor_detail(request, pk):
    actor = access.get_or_404(access.actors_for(request.user), pk=pk)
    staff = access.memberships_for(request.user).filter(actor=actor, ended_at__isnull=True)
    return render(
        request,
        "strom/actor_detail.html",
        {
            "actor": actor,
            "staff": staff.order_by("user__last_name", "user__first_name"),
            "can_edit": access.editable_actors(request.user).filter(pk=actor.pk).exists(),
        },
    )


def actor_create(request):
    # Sent twice, the form adds one organisation: nothing unique tells two apart, so it
    # carries a one-time token. The tokens (FormToken) live in cases/, which the core reads
    # only at run time, as it reads the other apps' models.
    from cases import once

    return once.shows_spent(_actor_create)(request, once)


def _actor_create(request, once):
    if not access.administered_municipalities(request.user).exists():
        raise Http404
    form = ActorForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        municipality = data.pop("municipality")
        try:
            actor = once.run(
                request,
                lambda: actions.create_actor(
                    by=request.user, request=request, municipality=municipality, **data
                ),
                url=lambda created: reverse("actor_detail", args=[created.pk]),
            )
        except ValidationError as error:
            add_errors_from(form, error)
        else:
            messages.success(request, _("Organisation added."))
            return redirect("actor_detail", pk=actor.pk)
    return render(request, "strom/actor_form.html", {"form": form, "once": once.token(request)})


def actor_edit(request, pk):
    actor = access.get_or_404(access.editable_actors(request.user), pk=pk)
    form = ActorForm(
        request.POST or None, instance=Actor.objects.get(pk=actor.pk), user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("municipality")
        try:
            actions.update_actor(by=request.user, request=request, actor=actor, **data)
        except ValidationError as error:
            add_errors_from(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("actor_detail", pk=actor.pk)
    return render(request, "strom/actor_form.html", {"form": form, "actor": actor})


# People and memberships ------------------------------------------------------------


def person_list(request):
    if not access.can_see_people(request.user):
        raise Http404
    query = request.GET.get("q", "").strip()[:100]
    people = access.people_for(request.user).order_by("last_name", "first_name", "username")
    if query:
        people = people.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
        )
    page = _page(request, people)
    visible = (
        access.memberships_for(request.user)
        .filter(user__in=[p.pk for p in page], ended_at__isnull=True)
        .select_related("actor")
    )
    by_user = {}
    for m in visible:
        by_user.setdefault(m.user_id, []).append(m)
    rows = [(person, by_user.get(person.pk, [])) for person in page]
    pending = list(access.role_requests_for(request.user).pending().order_by("requested_at")[:50])
    return render(
        request,
        "strom/person_list.html",
        {
            "page": page,
            "rows": rows,
            "query": query,
            "can_add": bool(access.assignable_roles(request.user)),
            "role_requests": _with_decisions(request.user, pending),
        },
    )


@recent_auth_required(post_only=True)
def person_detail(request, pk):
    user = request.user
    person = access.get_or_404(access.people_for(user), pk=pk)
    oneself = person.pk == user.pk
    can_manage = access.manageable_people(user).filter(pk=person.pk).exists()
    can_manage_account = (
        can_manage and access.account_manageable_people(user).filter(pk=person.pk).exists()
    )
    visible = (
        access.memberships_for(user)
        .filter(user=person)
        .select_related("actor__municipality")
        .order_by("ended_at", "actor__name")
    )
    manageable_ids = set(
        access.manageable_memberships(user).filter(user=person).values_list("pk", flat=True)
    )
    # Nobody gives herself a role: her own page has no form for it.
    form = MembershipForm(request.POST or None, user=user) if can_manage and not oneself else None
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if oneself:
            messages.error(
                request, _("You cannot give yourself a role. Ask another administrator to do it.")
            )
            return redirect("person_detail", pk=person.pk)
        if form.is_valid():
            try:
                given = actions.give_role(
                    by=user,
                    request=request,
                    user=person,
                    actor=form.cleaned_data["actor"],
                    role=form.cleaned_data["role"],
                )
            except ValidationError as error:
                add_errors_from(form, error)
            else:
                if isinstance(given, RoleRequest):
                    messages.success(request, role_requested_message())
                else:
                    messages.success(request, _("Role added."))
                return redirect("person_detail", pk=person.pk)
    pending = list(access.role_requests_for(user).pending().filter(user=person))
    return render(
        request,
        "strom/person_detail.html",
        {
            "person": person,
            "memberships": visible,
            "manageable_ids": manageable_ids,
            "can_manage": can_manage,
            "can_manage_account": can_manage_account,
            "oneself": oneself,
            "locked_out": can_manage and actions.is_locked_out(person),
            "second_factor": can_manage_account and twofactor.is_enrolled(person),
            "form": form,
            "role_requests": _with_decisions(user, pending),
        },
    )


def role_requested_message():
    return _(
        "The role is asked for. It gives no access until another administrator of the "
        "municipality confirms it."
    )


def _with_decisions(user, role_requests):
    """(request, may refuse, may confirm) for each pending request shown to the user."""
    decidable = set(
        access.decidable_role_requests(user)
        .filter(pk__in=[r.pk for r in role_requests])
        .values_list("pk", flat=True)
    )
    return [
        (r, r.pk in decidable, r.pk in decidable and access.may_confirm_role_request(user, r))
        for r in role_requests
    ]


@recent_auth_required
def person_create(request):
    if not access.assignable_roles(request.user):
        raise Http404
    form = PersonCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = actions.create_person(
                by=request.user,
                request=request,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                password=data["password1"],
                actor=data["actor"],
                role=data["role"],
            )
        except ValidationError as error:
            add_errors_from(form, error)
        else:
            messages.success(
                request, _("Account created. Give the person the initial password in a safe way.")
            )
            if person.role_requests.pending().exists():
                messages.info(request, role_requested_message())
            return redirect("person_detail", pk=person.pk)
    return render(request, "strom/person_create.html", {"form": form})


def _account_person(request, pk):
    """The person whose account (password, second factor, lockout, name and e-mail) the user
    is about to change, and None; or, when she also works where the user is not her
    administrator, the person and a redirect to her page with the reason."""
    person = access.get_or_404(access.manageable_people(request.user), pk=pk)
    if access.account_manageable_people(request.user).filter(pk=person.pk).exists():
        return person, None
    messages.error(request, account_refusal())
    return person, redirect("person_detail", pk=person.pk)


def account_refusal():
    return _(
        "This person also works for another municipality or organisation. Only a superuser "
        "can set her password, reset her second factor, unlock her account or change her "
        "details. You can still end her roles here."
    )


@recent_auth_required
def person_edit(request, pk):
    person, refused = _account_person(request, pk)
    if refused:
        return refused
    form = PersonForm(request.POST or None, instance=User.objects.get(pk=person.pk))
    if request.method == "POST" and form.is_valid():
        actions.update_person(by=request.user, request=request, person=person, **form.cleaned_data)
        messages.success(request, _("Changes saved."))
        return redirect("person_detail", pk=person.pk)
    return render(request, "strom/person_form.html", {"form": form, "person": person})


@recent_auth_required
@rate_limited("password-reset", "STROM_RATE_PASSWORD_RESET")
def person_password(request, pk):
    person, refused = _account_person(request, pk)
    if refused:
        return refused
    form = SetPasswordForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.set_person_password(
            by=request.user,
            request=request,
            person=person,
            password=form.cleaned_data["new_password1"],
        )
        messages.success(
            request,
            _("Password set. Give it to the person in a safe way. She is told of the change."),
        )
        return redirect("person_detail", pk=person.pk)
    return render(request, "strom/person_password.html", {"form": form, "person": person})


@require_POST
@recent_auth_required
def person_unlock(request, pk):
    person, refused = _account_person(request, pk)
    if refused:
        return refused
    actions.unlock(by=request.user, request=request, person=person)
    messages.success(request, _("The account is unlocked."))
    return redirect("person_detail", pk=person.pk)


@require_POST
@recent_auth_required
def person_reset_second_factor(request, pk):
    person, refused = _account_person(request, pk)
    if refused:
        return refused
    actions.reset_second_factor(by=request.user, request=request, person=person)
    messages.success(
        request,
        _(
            "The second factor is reset. The person sets up a new one at her next sign-in. "
            "She is told of the change."
        ),
    )
    return redirect("person_detail", pk=person.pk)


def _decide_role_request(request, pk, decide, done):
    role_request = access.get_or_404(access.decidable_role_requests(request.user), pk=pk)
    try:
        decide(by=request.user, request=request, role_request=role_request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("person_detail", pk=role_request.user_id)


@require_POST
@recent_auth_required
def role_request_confirm(request, pk):
    return _decide_role_request(
        request, pk, actions.confirm_role_request, _("Role confirmed. The person has it now.")
    )


@require_POST
@recent_auth_required
def role_request_refuse(request, pk):
    return _decide_role_request(
        request,
        pk,
        actions.refuse_role_request,
        _("Request refused. The person does not get the role."),
    )


@require_POST
@recent_auth_required
def membership_end(request, pk):
    membership = access.get_or_404(access.manageable_memberships(request.user), pk=pk)
    actions.end_membership(by=request.user, request=request, membership=membership)
    messages.success(request, _("Role ended."))
    return redirect("person_detail", pk=membership.user_id)


# Audit log -------------------------------------------------------------------------


def audit_list(request):
    if not access.can_read_audit_log(request.user):
        raise Http404
    filterset = AuditEventFilter(request.GET, queryset=access.audit_events_for(request.user))
    return render(
        request,
        "strom/audit_list.html",
        {
            "filter": filterset,
            "page": _page(request, filterset.qs),
        },
    )


# Health ------------------------------------------------------------------------------


@login_not_required
@require_GET
@never_cache
def healthz(request):
    """For the load balancer and docker-compose: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
