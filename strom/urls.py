from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import views, views_auth
from .favicon import favicon
from .forms_auth import LoginForm
from .ratelimits import rate_limited

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        rate_limited("sign-in", "STROM_RATE_SIGN_IN")(
            auth_views.LoginView.as_view(
                authentication_form=LoginForm, redirect_authenticated_user=True
            )
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/confirm/", views_auth.reauthenticate, name="reauthenticate"),
    path("accounts/two-factor/", views_auth.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/setup/", views_auth.two_factor_setup, name="two_factor_setup"),
    path("accounts/security/", views_auth.account_security, name="account_security"),
    path(
        "accounts/security/recovery-codes/",
        views_auth.recovery_codes_new,
        name="recovery_codes_new",
    ),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("actors/", views.actor_list, name="actor_list"),
    path("actors/new/", views.actor_create, name="actor_create"),
    path("actors/<int:pk>/", views.actor_detail, name="actor_detail"),
    path("actors/<int:pk>/edit/", views.actor_edit, name="actor_edit"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/password/", views.person_password, name="person_password"),
    path("people/<int:pk>/unlock/", views.person_unlock, name="person_unlock"),
    path(
        "people/<int:pk>/second-factor/reset/",
        views.person_reset_second_factor,
        name="person_reset_second_factor",
    ),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path(
        "role-requests/<int:pk>/confirm/", views.role_request_confirm, name="role_request_confirm"
    ),
    path("role-requests/<int:pk>/refuse/", views.role_request_refuse, name="role_request_refuse"),
    path("audit/", views.audit_list, name="audit_list"),
    path("cases/", include("cases.urls")),
    path("services/", include("services.urls")),
    path("referrals/", include("referrals.urls")),
    path("pathways/", include("referrals.urls_pathways")),
    path("agreements/", include("agreements.urls")),
    path("training/", include("training.urls")),
    path("reports/", include("reports.urls")),
    path("network/", include("training.urls_network")),
    path("notifications/", include("strom.urls_notifications")),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    # Django admin's own sign-in page: the same rate limit as STROM's (and the same count,
    # per user name); django-axes locks the user name on both. Listed before the admin's
    # URLs, so that this pattern answers for "admin:login".
    path(
        f"{settings.ADMIN_URL}login/",
        rate_limited("sign-in", "STROM_RATE_SIGN_IN")(admin.site.login),
        name="admin_login_rate_limited",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
]
