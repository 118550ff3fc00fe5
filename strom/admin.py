"""Django's admin, for superusers doing technical administration. Day-to-day work
(actors, people, memberships) happens in STROM's own pages."""

from django.contrib import admin

from .audit import AuditAction, AuditEvent, record
from .models import Actor, Country, Membership, Municipality, RoleRequest, SecurityPolicy


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "reflection_period_days", "retention_years"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "country"]
    list_filter = ["country"]


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "level", "municipality", "country", "is_active"]
    list_filter = ["country", "level", "kind", "is_active"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "actor", "started_at", "ended_at"]
    list_filter = ["role", "actor__country"]
    search_fields = ["user__username", "actor__name"]
    raw_id_fields = ["user", "actor"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that only STROM's own actions write (they audit and check the rules)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RoleRequest)
class RoleRequestAdmin(ReadOnlyAdmin):
    # Confirmed or refused on the People pages, by a second administrator or a superuser.
    list_display = [
        "user",
        "role",
        "actor",
        "requested_by",
        "requested_at",
        "outcome",
        "decided_by",
    ]
    list_filter = ["outcome", "role", "actor__country"]
    search_fields = ["user__username", "requested_by__username", "actor__name"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = [
        "occurred_at",
        "username",
        "action",
        "object_label",
        "municipality",
        "ip_address",
    ]
    list_filter = ["action", "municipality"]
    search_fields = ["username", "object_label"]


@admin.register(SecurityPolicy)
class SecurityPolicyAdmin(admin.ModelAdmin):
    """One row; only superusers reach Django's admin. Changes go to STROM's audit log."""

    list_display = ["__str__", "two_factor_for_all", "updated_at"]

    def has_add_permission(self, request):
        return not SecurityPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record(
            AuditAction.CHANGE,
            request=request,
            obj=obj,
            detail=f"two_factor_for_all={obj.two_factor_for_all}",
        )
