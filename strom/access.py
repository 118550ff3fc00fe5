"""The access policy: who may see and do what. Nothing else decides.

Every view gets its objects through a function here, so a forgotten check shows
as an empty list or a 404, never as a leak. The policy table is in DESIGN.md.

Mechanism: a user's active memberships (role at an actor, and so a municipality
or a country) are the main scope, checked with `Exists` subqueries. Per-object
grants (an assigned worker on a case, a referral addressed to an actor's group)
come from django-guardian's direct foreign-key permission tables and are OR-ed
with the membership scope by the apps that have such objects; call guardian with
`accept_global_perms=False` so that a model-level permission never widens a scope.

Superusers are technical administrators: they see the core tables (actors,
memberships, the audit log) but are audited like everyone else.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from .audit import AUTH_ACTIONS, AuditEvent
from .models import Actor, ActorLevel, Membership, Municipality, Role, RoleRequest

User = get_user_model()

# Roles an administrator may hand out in her municipality. National coordinators
# are appointed by a superuser.
ASSIGNABLE_ROLES = (Role.SOCIAL_WORKER, Role.COORDINATOR, Role.ADMINISTRATOR, Role.SERVICE_PROVIDER)


def memberships(user):
    """The user's active memberships, loaded once per request."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_strom_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.active()
            .filter(user=user)
            .select_related("actor__municipality__country", "actor__country")
            .order_by("role", "actor__name")
        )
        user._strom_memberships = cached
    return cached


def has_role(user, *wanted):
    return any(m.role in wanted for m in memberships(user))


def municipality_ids(user, *wanted):
    """Ids of the municipalities where the user holds one of the wanted roles."""
    return {
        m.actor.municipality_id
        for m in memberships(user)
        if m.role in wanted and m.actor.municipality_id is not None
    }


def national_country_ids(user):
    return {m.actor.country_id for m in memberships(user) if m.role == Role.NATIONAL_COORDINATOR}


# Municipalities ---------------------------------------------------------------


def municipalities_for(user):
    """Municipalities the user works in, or oversees as national coordinator."""
    qs = Municipality.objects.select_related("country")
    if user.is_superuser:
        return qs
    local = {m.actor.municipality_id for m in memberships(user) if m.actor.municipality_id}
    return qs.filter(Q(id__in=local) | Q(country_id__in=national_country_ids(user)))


def administered_municipalities(user):
    """Municipalities whose actors, users and memberships the user manages."""
    qs = Municipality.objects.select_related("country")
    if user.is_superuser:
        return qs
    return qs.filter(id__in=municipality_ids(user, Role.ADMINISTRATOR))


# Actors -----------------------------------------------------------------------


def actors_for(user):
    """Actors the user may read: those of her municipalities, and the regional and
    national actors of her country; a national coordinator reads every actor of
    the country; service providers also read their own actor wherever it is."""
    qs = Actor.objects.select_related("municipality", "country")
    if user.is_superuser:
        return qs
    ms = memberships(user)
    local = {m.actor.municipality_id for m in ms if m.actor.municipality_id}
    countries = {m.actor.country_id for m in ms}
    own = {m.actor_id for m in ms}
    return qs.filter(
        Q(municipality_id__in=local)
        | Q(country_id__in=countries, level__in=[ActorLevel.REGIONAL, ActorLevel.NATIONAL])
        | Q(country_id__in=national_country_ids(user))
        | Q(id__in=own)
    )


def editable_actors(user):
    """Local actors an administrator manages in her municipality."""
    qs = Actor.objects.select_related("municipality", "country")
    if user.is_superuser:
        return qs
    return qs.filter(municipality_id__in=municipality_ids(user, Role.ADMINISTRATOR))


# People and memberships -------------------------------------------------------


def memberships_for(user):
    """Memberships a coordinator or administrator sees at her municipality's actors."""
    qs = Membership.objects.select_related("user", "actor__municipality")
    if user.is_superuser:
        return qs
    return qs.filter(
        actor__municipality_id__in=municipality_ids(user, Role.COORDINATOR, Role.ADMINISTRATOR)
    )


def manageable_memberships(user):
    qs = Membership.objects.select_related("user", "actor__municipality")
    if user.is_superuser:
        return qs
    return qs.filter(actor__municipality_id__in=municipality_ids(user, Role.ADMINISTRATOR))


def _member_of_q(municipality_ids_, *, active_only=False):
    inner = Membership.objects.filter(
        user_id=OuterRef("pk"), actor__municipality_id__in=municipality_ids_
    )
    if active_only:
        inner = inner.filter(ended_at__isnull=True)
    return Exists(inner)


def _role_request_q(municipality_ids_, *, pending_only=False):
    inner = RoleRequest.objects.filter(
        user_id=OuterRef("pk"), actor__municipality_id__in=municipality_ids_
    )
    if pending_only:
        inner = inner.pending()
    return Exists(inner)


def people_for(user):
    """Users with a membership (current or past), or a role asked for, at a municipality the
    user administers or coordinates."""
    if user.is_superuser:
        return User.objects.all()
    ids = municipality_ids(user, Role.COORDINATOR, Role.ADMINISTRATOR)
    return User.objects.filter(_member_of_q(ids) | _role_request_q(ids))


def can_see_people(user):
    return user.is_superuser or has_role(user, Role.COORDINATOR, Role.ADMINISTRATOR)


def manageable_people(user):
    """Users whose roles in her municipality an administrator manages: those with a current
    membership there, or a role waiting for confirmation there. Superusers are managed only
    by superusers. Her account itself (password, second factor, name) only if
    `account_manageable_people`."""
    if user.is_superuser:
        return User.objects.all()
    ids = municipality_ids(user, Role.ADMINISTRATOR)
    return User.objects.filter(
        _member_of_q(ids, active_only=True) | _role_request_q(ids, pending_only=True),
        is_superuser=False,
    )


def account_manageable_people(user):
    """Users whose account an administrator may change: reset the password or the second
    factor, unlock, edit name and e-mail. Whoever does that can sign in as the person, so
    every active membership of the person must be in the administrator's municipalities; a
    person who also works elsewhere (another municipality, a national or regional actor) is
    a superuser's to change."""
    if user.is_superuser:
        return User.objects.all()
    ids = municipality_ids(user, Role.ADMINISTRATOR)
    elsewhere = Membership.objects.filter(user_id=OuterRef("pk"), ended_at__isnull=True).exclude(
        actor__municipality_id__in=ids
    )
    return manageable_people(user).filter(~Exists(elsewhere))


def role_requests_for(user):
    """Role requests a coordinator or administrator reads on her municipality's people pages."""
    qs = RoleRequest.objects.select_related(
        "user", "actor__municipality", "requested_by", "decided_by"
    )
    if user.is_superuser:
        return qs
    return qs.filter(
        actor__municipality_id__in=municipality_ids(user, Role.COORDINATOR, Role.ADMINISTRATOR)
    )


def decidable_role_requests(user):
    """Pending role requests an administrator of the municipality (or a superuser) confirms
    or refuses. Whether she may confirm this one (not her own request, not a role for
    herself) is `may_confirm_role_request`."""
    qs = RoleRequest.objects.pending().select_related("user", "actor__municipality", "requested_by")
    if user.is_superuser:
        return qs
    return qs.filter(actor__municipality_id__in=municipality_ids(user, Role.ADMINISTRATOR))


def may_confirm_role_request(user, role_request):
    """A second pair of eyes: neither the administrator who asked nor the person herself."""
    return user.pk not in (role_request.requested_by_id, role_request.user_id)


def assignable_roles(user):
    if user.is_superuser:
        return tuple(Role)
    return ASSIGNABLE_ROLES if has_role(user, Role.ADMINISTRATOR) else ()


# Audit log --------------------------------------------------------------------


def audit_events_for(user, municipality=None):
    """Coordinators and administrators read their municipality's log, including the
    sign-ins of its staff; superusers read all of it. `municipality` narrows to one."""
    qs = AuditEvent.objects.select_related("user", "municipality")
    if user.is_superuser and municipality is None:
        return qs
    if user.is_superuser:
        ids = {municipality.pk}
    else:
        ids = municipality_ids(user, Role.COORDINATOR, Role.ADMINISTRATOR)
        if municipality is not None:
            ids &= {municipality.pk}
    if not ids:
        return qs.none()
    # Administrators see no case, not even as a line in the log: case entries are for
    # the coordinators of the municipality (and superusers). A referral's entry is labelled
    # with its case's reference code: a case entry too.
    coordinated = ids & municipality_ids(user, Role.COORDINATOR) if not user.is_superuser else ids
    case_entries = Q(object_type__startswith="cases.") | Q(object_type="referrals.referral")
    hidden_cases = case_entries & ~Q(municipality_id__in=coordinated)
    # A semi-join on the staff's user ids, not a correlated EXISTS: the planner hashes it
    # once instead of probing memberships for every audit row (bench/bench_pages.py).
    staff = Membership.objects.filter(actor__municipality_id__in=ids).values("user_id")
    staff_sign_in = Q(action__in=AUTH_ACTIONS, user_id__in=staff)
    return qs.filter(Q(municipality_id__in=ids) | staff_sign_in).exclude(hidden_cases)


def can_read_audit_log(user):
    return can_see_people(user)


# Cases ------------------------------------------------------------------------------


def cases_for(user):
    """Cases the user may open: a coordinator every case of her municipality, a social
    worker those she is assigned to (a guardian grant) in a municipality where she still
    works. Administrators, service providers, national coordinators and superusers: none."""
    from cases.models import Case

    qs = Case.objects.select_related("municipality__country", "person", "owner")
    scope = Q(municipality_id__in=municipality_ids(user, Role.COORDINATOR))
    worker_municipalities = municipality_ids(user, Role.SOCIAL_WORKER)
    if worker_municipalities:
        scope |= granted_q(user, Case, "view_case") & Q(municipality_id__in=worker_municipalities)
    return qs.filter(scope)


def coordinated_cases(user):
    """Cases whose workers and status the user decides: her municipality's, as coordinator."""
    from cases.models import Case

    return Case.objects.select_related("municipality__country", "person", "owner").filter(
        municipality_id__in=municipality_ids(user, Role.COORDINATOR)
    )


def privacy_cases(user):
    """Cases whose retention, data-subject access exports and erasure the user handles: her
    municipality's, as coordinator. Nobody else: not the assigned worker, not a superuser."""
    return coordinated_cases(user)


def case_municipalities(user):
    """Where the user may register a new case: as social worker or coordinator."""
    return Municipality.objects.filter(
        id__in=municipality_ids(user, Role.SOCIAL_WORKER, Role.COORDINATOR)
    ).select_related("country")


def case_workers(municipality):
    """People who can be assigned to a case of the municipality."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__ended_at__isnull=True,
            memberships__role__in=[Role.SOCIAL_WORKER, Role.COORDINATOR],
            memberships__actor__municipality=municipality,
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


def can_register_cases(user):
    return has_role(user, Role.SOCIAL_WORKER, Role.COORDINATOR)


# Services ---------------------------------------------------------------------------


def services_for(user):
    """The service directory a user reads: her municipalities' services and the regional
    and national ones of her country; a national coordinator reads the whole country."""
    from services.models import AreaLevel, Service

    qs = Service.objects.select_related("provider", "municipality", "country")
    if user.is_superuser:
        return qs
    ms = memberships(user)
    local = {m.actor.municipality_id for m in ms if m.actor.municipality_id}
    countries = {m.actor.country_id for m in ms}
    return qs.filter(
        Q(municipality_id__in=local)
        | Q(country_id__in=countries, area_level__in=[AreaLevel.REGION, AreaLevel.NATIONAL])
        | Q(country_id__in=national_country_ids(user))
        | Q(provider_id__in={m.actor_id for m in ms})
    )


def editable_services(user):
    """Coordinators and administrators edit their municipality's services; service providers
    their own organisation's."""
    from services.models import Service

    qs = Service.objects.select_related("provider", "municipality", "country")
    if user.is_superuser:
        return qs
    return qs.filter(
        Q(municipality_id__in=municipality_ids(user, Role.COORDINATOR, Role.ADMINISTRATOR))
        | Q(provider_id__in=provider_actor_ids(user))
    )


def provider_actor_ids(user):
    return {m.actor_id for m in memberships(user) if m.role == Role.SERVICE_PROVIDER}


def service_providers_for(user):
    """Organisations whose services the user may register."""
    qs = Actor.objects.filter(is_active=True).select_related("municipality")
    if user.is_superuser:
        return qs
    return qs.filter(
        Q(municipality_id__in=municipality_ids(user, Role.COORDINATOR, Role.ADMINISTRATOR))
        | Q(id__in=provider_actor_ids(user))
    )


def can_manage_services(user):
    return user.is_superuser or has_role(
        user, Role.COORDINATOR, Role.ADMINISTRATOR, Role.SERVICE_PROVIDER
    )


def address_reader(user):
    """A predicate: may the user see this service's address and map pin? A confidential
    address (a shelter) only to the coordinators of its municipality and to the provider's
    own staff."""
    coordinated = municipality_ids(user, Role.COORDINATOR)
    own = {m.actor_id for m in memberships(user)}

    def may_see(service):
        return (
            not service.address_confidential
            or service.municipality_id in coordinated
            or service.provider_id in own
        )

    return may_see


# A service's location, and the fields `address_reader` decides by.
SERVICE_LOCATION_FIELDS = ("address", "latitude", "longitude", "address_confidential")
SERVICE_ADDRESS_KEYS = ("provider", "municipality")


def locked_service_fields(user, service):
    """Fields of a stored service the user may edit but not change: for whoever may not see
    its confidential address, the location itself and the fields that decide who sees it
    (an administrator who made her own organisation the provider would see the shelter)."""
    if service.pk is None or address_reader(user)(service):
        return ()
    return SERVICE_LOCATION_FIELDS + SERVICE_ADDRESS_KEYS


def can_see_gaps(user):
    return has_role(user, Role.COORDINATOR, Role.ADMINISTRATOR, Role.NATIONAL_COORDINATOR)


def gap_municipalities(user):
    """Municipalities a user compares in the gap view: those of her country (aggregates
    only: counts of services and free places)."""
    countries = {
        m.actor.country_id
        for m in memberships(user)
        if m.role in (Role.COORDINATOR, Role.ADMINISTRATOR, Role.NATIONAL_COORDINATOR)
    }
    return Municipality.objects.filter(country_id__in=countries).select_related("country")


# Referral pathways and referrals -----------------------------------------------------


def pathways_for(user):
    """Pathways a user reads: the national ones of her country and her municipalities'."""
    from referrals.models import Pathway

    qs = Pathway.objects.select_related("country", "municipality", "origin")
    if user.is_superuser:
        return qs
    ms = memberships(user)
    countries = {m.actor.country_id for m in ms}
    local = {m.actor.municipality_id for m in ms if m.actor.municipality_id}
    return qs.filter(
        Q(country_id__in=countries, municipality__isnull=True) | Q(municipality_id__in=local)
    )


def editable_pathways(user):
    """The national coordinator keeps her country's national pathways; a coordinator her
    municipality's adaptations."""
    from referrals.models import Pathway

    qs = Pathway.objects.select_related("country", "municipality", "origin")
    if user.is_superuser:
        return qs
    return qs.filter(
        Q(municipality__isnull=True, country_id__in=national_country_ids(user))
        | Q(municipality_id__in=municipality_ids(user, Role.COORDINATOR))
    )


def referrals_for(user):
    """Referrals a user may open: the case side (its coordinators, and the workers of the
    case) sees every step of its cases; a recipient organisation's staff see what was sent
    to them (a guardian grant to the organisation's group), never a draft."""
    from referrals.models import Referral, ReferralStatus

    qs = Referral.objects.select_related(
        "case__municipality__country",
        "step__pathway",
        "from_actor",
        "to_actor",
        "to_user",
        "service",
    )
    scope = Q(case__municipality_id__in=municipality_ids(user, Role.COORDINATOR))
    if has_role(user, Role.SOCIAL_WORKER):
        scope |= Q(case__in=cases_for(user).values("pk"))
    providers = provider_actor_ids(user)
    if providers:
        scope |= (
            granted_q(user, Referral, "view_referral")
            & Q(to_actor_id__in=providers)
            & ~Q(status=ReferralStatus.DRAFT)
        )
    return qs.filter(scope)


def coordinated_referrals(user):
    from referrals.models import Referral

    return Referral.objects.select_related(
        "case__municipality__country", "step__pathway", "to_actor"
    ).filter(case__municipality_id__in=municipality_ids(user, Role.COORDINATOR))


def received_referrals(user):
    """A service provider's inbox: referrals sent to her organisation."""
    from referrals.models import Referral, ReferralStatus

    providers = provider_actor_ids(user)
    if not providers:
        return Referral.objects.none()
    return (
        Referral.objects.select_related("case", "step", "from_actor", "to_actor", "service")
        .filter(granted_q(user, Referral, "view_referral"), to_actor_id__in=providers)
        .exclude(status=ReferralStatus.DRAFT)
    )


def is_recipient(user, referral):
    return referral.to_actor_id in provider_actor_ids(user) or referral.to_user_id == user.pk


def referral_readers(users, referral):
    """Of these users, those who may open the referral's page: a notification or e-mail
    that links to it goes only to them (an organisation's administrator, who may not read
    what was sent to it, is told nothing)."""
    return [u for u in users if u.is_active and referrals_for(u).filter(pk=referral.pk).exists()]


# Agreements ----------------------------------------------------------------------------


def agreements_for(user):
    """Administrators and coordinators read their municipality's agreements; staff read
    those their organisation is party to; a national coordinator reads her country's."""
    from agreements.models import Agreement, Party

    qs = Agreement.objects.select_related("municipality__country")
    if user.is_superuser:
        return qs
    own = {m.actor_id for m in memberships(user)}
    party = Exists(Party.objects.filter(version__agreement=OuterRef("pk"), actor_id__in=own))
    return qs.filter(
        Q(municipality_id__in=municipality_ids(user, Role.ADMINISTRATOR, Role.COORDINATOR))
        | Q(municipality__country_id__in=national_country_ids(user))
        | party
    )


def editable_agreements(user):
    from agreements.models import Agreement

    qs = Agreement.objects.select_related("municipality__country")
    if user.is_superuser:
        return qs
    return qs.filter(municipality_id__in=municipality_ids(user, Role.ADMINISTRATOR))


# Training, prevention, experts -----------------------------------------------------------


def trainings_for(user):
    """Trainings a user sees: her municipalities' local ones, and national and regional ones of
    her country; a national coordinator sees her country's."""
    from training.models import TrainingEvent, TrainingLevel

    qs = TrainingEvent.objects.select_related("municipality__country", "organiser")
    if user.is_superuser:
        return qs
    ms = memberships(user)
    local = {m.actor.municipality_id for m in ms if m.actor.municipality_id}
    countries = {m.actor.country_id for m in ms}
    return qs.filter(
        Q(municipality_id__in=local)
        | Q(
            municipality__country_id__in=countries,
            level__in=[TrainingLevel.NATIONAL, TrainingLevel.REGIONAL],
        )
        | Q(municipality__country_id__in=national_country_ids(user))
    )


def organised_trainings(user):
    """Administrators organise their municipality's trainings."""
    from training.models import TrainingEvent

    qs = TrainingEvent.objects.select_related("municipality__country", "organiser")
    if user.is_superuser:
        return qs
    return qs.filter(municipality_id__in=municipality_ids(user, Role.ADMINISTRATOR))


def can_register_for_training(user):
    return has_role(
        user, Role.SOCIAL_WORKER, Role.COORDINATOR, Role.SERVICE_PROVIDER, Role.ADMINISTRATOR
    )


def coverage_municipalities(user):
    """Whose training coverage the user follows: a coordinator her municipality's, a national
    coordinator her country's."""
    return Municipality.objects.filter(
        Q(id__in=municipality_ids(user, Role.COORDINATOR, Role.ADMINISTRATOR))
        | Q(country_id__in=national_country_ids(user))
    ).select_related("country")


def prevention_for(user):
    """Coordinators record and read their municipality's prevention work; a national
    coordinator reads her country's."""
    from training.models import PreventionActivity

    return PreventionActivity.objects.select_related("municipality").filter(
        Q(municipality_id__in=municipality_ids(user, Role.COORDINATOR, Role.ADMINISTRATOR))
        | Q(municipality__country_id__in=national_country_ids(user))
    )


def editable_prevention(user):
    from training.models import PreventionActivity

    return PreventionActivity.objects.filter(
        municipality_id__in=municipality_ids(user, Role.COORDINATOR)
    )


def escalated_to_national(user):
    """Unanswered referrals escalated to the national coordinator of the user's country:
    she reads their reference code, step and organisation, nothing of the case."""
    from referrals.models import EscalationLevel, Referral, ReferralStatus

    return (
        Referral.objects.filter(
            case__municipality__country_id__in=national_country_ids(user),
            status=ReferralStatus.SENT,
            escalations__level=EscalationLevel.NATIONAL,
        )
        .select_related("case__municipality", "step", "to_actor")
        .distinct()
    )


def listed_experts(user):
    """The expert directory: any signed-in user reads the profiles of people who opted in
    and whose account is active."""
    from training.models import ExpertProfile

    if not user.is_authenticated:
        return ExpertProfile.objects.none()
    return ExpertProfile.objects.filter(listed=True, user__is_active=True).select_related(
        "user", "municipality", "country"
    )


# Per-object grants ---------------------------------------------------------------


def granted_q(user, model, codename):
    """A filter for the objects of `model` on which the user holds `codename` through a
    per-object grant, to herself or to a group she is in (an actor's staff group).

    Apps OR this with their membership scope. Guardian uses the model's direct
    foreign-key permission tables when the app defines them (UserObjectPermissionBase /
    GroupObjectPermissionBase subclasses), its generic tables otherwise. A model-level
    permission never counts, nor does being a superuser: grants only add single objects.
    """
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    granted = get_objects_for_user(
        user,
        f"{model._meta.app_label}.{codename}",
        klass=model,
        accept_global_perms=False,
        with_superuser=False,
    )
    return Q(pk__in=granted.values("pk"))


def require(condition):
    """Actions re-check the policy with this: a view that forgot gets PermissionDenied."""
    if not condition:
        raise PermissionDenied


def changed_fields(instance, data):
    """The names of the fields `data` would change (for audit details: names, never values)."""
    return sorted(name for name, value in data.items() if getattr(instance, name) != value)


# Fetching one object -------------------------------------------------------------


def get_or_404(queryset, **lookup):
    """The object if it is in the given (scoped) queryset, else 404: never confirm
    that an object outside the user's scope exists."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
