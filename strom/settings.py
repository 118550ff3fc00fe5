"""STROM settings: one module, every option read from the environment.

The defaults are for a developer's laptop (`make run`): SQLite and Celery's
filesystem broker under var/. Production sets DJANGO_DEBUG=false and the
variables listed in .env.example; with those, `manage.py check --deploy` is clean.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("STROM_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; real environment variables win

DEBUG = env.bool("DJANGO_DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="strom-development-only-" + "x" * 40)
else:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set (at least 50 random characters) "
            "when DJANGO_DEBUG is off."
        )

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "django_countries",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_ratelimit",
    "csp",
    "strom",
    "cases",
    "services",
    "referrals",
    "agreements",
    "training",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A NUL character anywhere in a request: a 400 page, before any query (PostgreSQL refuses
    # NUL). After LocaleMiddleware, so the page is in the user's language.
    "strom.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Deny by default: every view needs a signed-in user unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # request.user.is_verified(): has the user given her second factor in this session?
    "django_otp.middleware.OTPMiddleware",
    # Sends a user who needs a second factor and has not given it to enrolment or to the code.
    "strom.twofactor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "strom.middleware.SecurityHeadersMiddleware",
    "strom.middleware.MissingFileMiddleware",
    "strom.middleware.SessionLimitMiddleware",
    # Last: locks out a user name after repeated failed sign-ins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "strom.urls"
WSGI_APPLICATION = "strom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "strom.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another (postgres://...).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'strom.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run` has two processes writing (the web server and the Celery worker): each
    # transaction takes SQLite's write lock when it begins and waits up to 20 s for it,
    # instead of failing with "database is locked" halfway (the audit log's chain reads the
    # last event, then appends).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out user name before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# No anonymous user: every request is signed in or refused.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Internationalisation: English source, the Baltic languages and Russian first.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("lv", "Latviešu"),
    ("lt", "Lietuvių"),
    ("et", "Eesti"),
    ("ru", "Русский"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates as in Europe (29/11/2026 17:05), not as in the USA.
FORMAT_MODULE_PATH = ["strom.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.str("STROM_TIME_ZONE", default="Europe/Riga")
LANGUAGE_COOKIE_NAME = "strom_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
# In development (and `make test`) WhiteNoise serves straight from static/.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "media/"  # served by no URL: files go out only through permission-checked views
# Uploaded files (strom/uploads.py): the largest accepted, and permissions that make nothing
# executable (rw-r----- files, rwxr-x--- folders).
STROM_UPLOAD_MAX_MB = env.int("STROM_UPLOAD_MAX_MB", default=10)
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
# An upload larger than any form accepts stops being stored on its way in.
FILE_UPLOAD_HANDLERS = [
    "strom.upload_handlers.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# E-mail: printed to the console in development, SMTP in production (EMAIL_URL).
EMAIL_CONFIG = env.email_url(
    "EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25"
)
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="STROM <strom@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Field encryption of identifying data (names, contacts, notes). Keys are separate
# from SECRET_KEY: Fernet keys, newest first; older keys only decrypt, until the
# rotation command has re-encrypted everything (docs/operations.md).
DEVELOPMENT_FIELD_ENCRYPTION_KEY = "c3Ryb20tZGV2ZWxvcG1lbnQta2V5LW5vdC1zZWNyZXQ="
FIELD_ENCRYPTION_KEYS = env.list("STROM_FIELD_ENCRYPTION_KEYS", default=[])
if not FIELD_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "STROM_FIELD_ENCRYPTION_KEYS must be set when DJANGO_DEBUG is off "
            "(generate one with `python manage.py generate_encryption_key`)."
        )
    # A fixed development key: demo data only, never real people.
    FIELD_ENCRYPTION_KEYS = [DEVELOPMENT_FIELD_ENCRYPTION_KEY]

# Celery: the filesystem broker under var/ unless CELERY_BROKER_URL names Redis.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "celery"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # Deadlines live in the database, so no task waits in Redis for longer than this.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Periodic tasks are code: the apps add their sweeps here.
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "strom.tasks.record_heartbeat", "schedule": 60.0},
    "referral-escalation": {"task": "referrals.tasks.sweep_escalations", "schedule": 60.0},
    # Hourly: idempotent, so the day's changes happen within the hour after midnight.
    "agreements-daily": {"task": "agreements.tasks.agreements_daily", "schedule": 3600.0},
    "training-reminders": {"task": "training.tasks.training_reminders", "schedule": 3600.0},
    # Daily at 02:30: anonymise the cases whose retention period has ended (idempotent).
    "cases-retention": {
        "task": "cases.tasks.anonymise_expired_cases",
        "schedule": crontab(hour=2, minute=30),
    },
}
# Coordinators are warned when the heartbeat is older than this.
STROM_HEARTBEAT_LATE_AFTER = timedelta(minutes=5)

# Security. Production runs behind a TLS-terminating proxy (see docs/deployment.md).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A session ends after STROM_SESSION_IDLE_MINUTES without a request, and at the latest
# STROM_SESSION_AGE_SECONDS after signing in (strom.middleware.SessionLimitMiddleware).
STROM_SESSION_IDLE_MINUTES = env.int("STROM_SESSION_IDLE_MINUTES", default=30)
STROM_SESSION_MAX_SECONDS = env.int("STROM_SESSION_AGE_SECONDS", default=8 * 3600)
SESSION_COOKIE_AGE = STROM_SESSION_MAX_SECONDS
# Exports, case-related PDFs and user and role changes ask for the password again when it
# was last given more than this many minutes ago (strom.reauth).
STROM_REAUTH_MINUTES = env.int("STROM_REAUTH_MINUTES", default=15)
# Create forms carry a one-time token (cases.once): a post without one is refused, since it
# could be sent any number of times.
STROM_FORM_TOKENS_REQUIRED = env.bool("STROM_FORM_TOKENS_REQUIRED", default=True)

# Second factor (django-otp): authenticator apps (TOTP) and one-time recovery codes.
# Who needs one: strom.twofactor.REQUIRED_ROLES, or everyone when a superuser ticks it in
# the security policy.
OTP_TOTP_ISSUER = env.str("STROM_TOTP_ISSUER", default="STROM")
STROM_RECOVERY_CODES = 10

# Rate limits per user (strom.ratelimits), as "<count>/<s|m|h|d>"; empty turns one off.
# The counters need a cache all workers share: CACHE_URL=redis://... in production.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
STROM_RATE_SIGN_IN = env.str("STROM_RATE_SIGN_IN", default="20/h")
STROM_RATE_SECOND_FACTOR = env.str("STROM_RATE_SECOND_FACTOR", default="10/15m")
# Password confirmations ("Confirm it's you"): a counter of their own, so that wrong codes
# do not block them.
STROM_RATE_REAUTH = env.str("STROM_RATE_REAUTH", default="10/15m")
STROM_RATE_EXPORTS = env.str("STROM_RATE_EXPORTS", default="60/h")
# PDFs drawn on request (agreements, training certificates): WeasyPrint takes a second or
# more of a CPU for each, so one person cannot keep the workers busy.
STROM_RATE_PDF = env.str("STROM_RATE_PDF", default="60/h")
# Passwords are reset by the municipality's administrator (there is no reset by e-mail,
# which would make a mailbox the key to case data); this limits how many she sets.
STROM_RATE_PASSWORD_RESET = env.str("STROM_RATE_PASSWORD_RESET", default="10/h")
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Secure-sessionid"
    CSRF_COOKIE_NAME = "__Secure-csrftoken"
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
    if env.bool("DJANGO_BEHIND_TLS_PROXY", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

ADMIN_URL = env.str("DJANGO_ADMIN_URL", default="django-admin/")

# STROM's own options.
# Reports: counts below these are suppressed for anyone but the municipality's own
# coordinator; the second applies to tables marked for publication (Eurostat).
STROM_REPORT_MIN_CELL = env.int("STROM_REPORT_MIN_CELL", default=5)
STROM_REPORT_PUBLISH_MIN_CELL = env.int("STROM_REPORT_PUBLISH_MIN_CELL", default=11)
# The address users reach STROM at, for links in e-mails.
STROM_SITE_URL = env.str("STROM_SITE_URL", default="http://127.0.0.1:8000")
# Map tiles for the service directory. Empty: the map shows pins without a background,
# and the list below it works as before. Respect the tile server's usage policy.
STROM_MAP_TILE_URL = env.str(
    "STROM_MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
STROM_MAP_ATTRIBUTION = env.str("STROM_MAP_ATTRIBUTION", default="© OpenStreetMap contributors")
STROM_DEMO_PASSWORD = env.str("STROM_DEMO_PASSWORD", default="strom-demo")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# Lockout after failed sign-ins, per user name: municipal offices share one public address,
# so locking by address would lock out a whole office.
AXES_FAILURE_LIMIT = env.int("STROM_LOCKOUT_FAILURES", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("STROM_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username"]
# The name as typed, cut to the longest an account can have (axes stores 255 characters).
AXES_USERNAME_CALLABLE = "strom.lockout.username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# axes.W006 recommends locking by address as well: deliberately not, see above. Rotating
# cookies does not help an attacker here, since the lock is on the user name itself.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
if DEBUG and CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # Development and tests run one process: a per-process cache is enough for the rate
    # limits. In production (DEBUG off) these checks fail until CACHE_URL names Redis.
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003", "django_ratelimit.W001"]
elif CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # django-ratelimit 4.1 predates Django's own Redis backend; its incr() is Redis INCR,
    # atomic and shared by every worker, which is all the rate limits need.
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.W001"]

# Behind a reverse proxy, take the client address for the audit log from
# X-Forwarded-For (only when the proxy overwrites that header).
STROM_TRUST_X_FORWARDED_FOR = env.bool("STROM_TRUST_X_FORWARDED_FOR", default=False)

# Content Security Policy (django-csp): scripts, styles, fonts and images only from STROM
# itself; no inline script or style anywhere; no plugins, frames or foreign form targets.
# The map tiles' server is the one exception, for images only.
_tile_origin = urlsplit(STROM_MAP_TILE_URL.replace("{s}", "a"))
_img_sources = [SELF]
if _tile_origin.scheme in ("http", "https") and _tile_origin.netloc:
    _tile_host = _tile_origin.netloc
    if "{s}" in STROM_MAP_TILE_URL:  # a.tile..., b.tile...: allow the subdomains
        _tile_host = "*." + _tile_host.split(".", 1)[1]
    _img_sources.append(f"{_tile_origin.scheme}://{_tile_host}")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": _img_sources,
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-src": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# strom.middleware.SecurityHeadersMiddleware: browser features STROM never uses stay off.
STROM_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
