"""Diogelu settings: one file, driven by the environment (see docs/configuration.md).

With no environment at all it runs the embedded default: SQLite, in-process background work, the
console email backend. Production sets ``DEBUG=0``, ``SECRET_KEY``, ``ALLOWED_HOSTS``,
``DATABASE_URL`` (PostgreSQL) and ``REDIS_URL``; secure cookies, HSTS and MFA then default on.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from kombu.entity import Queue

from diogelu.core.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("DIOGELU_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
_DEV_SECRET = "insecure-development-key-do-not-use-in-production-" + "x" * 20
SECRET_KEY = env_secret("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_NAME = env_str("SITE_NAME", "Diogelu")
# What this installation is: "production" (the default with DEBUG off) or e.g. "training",
# "staging", "development". The demo loader never runs in production.
DEPLOYMENT = env_str("DEPLOYMENT", "development" if DEBUG else "production").strip().lower()
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "diogelu.core",
    "diogelu.accounts",
    "diogelu.people",
    "diogelu.access",
    "diogelu.chronology",
    "diogelu.notifications",
    "diogelu.referrals",
    "diogelu.sharing",
    "diogelu.enquiries",
    "diogelu.conferences",
    "diogelu.plans",
    "diogelu.oversight",
    "diogelu.exploitation",
    "diogelu.measures",
    "diogelu.audit",
    "diogelu.api",
    "diogelu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "diogelu.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "diogelu.core.middleware.IdleTimeoutMiddleware",
    "diogelu.accounts.middleware.SignInRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "diogelu.core.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
    # After a write, this browser reads from the primary for a few seconds (ADR 0830).
    "diogelu.core.replica.PrimaryAfterWriteMiddleware",
    # Innermost: the request's transaction, with the user's authorities SET LOCAL (ADR 0751).
    "diogelu.accounts.middleware.AuthorityScopeMiddleware",
]

ROOT_URLCONF = "diogelu.urls"
WSGI_APPLICATION = "diogelu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "diogelu" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "diogelu.jinja2.environment",
            "autoescape": True,
            "extensions": ["jinja2.ext.i18n"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "diogelu.navigation.shell",
            ],
        },
    },
    {
        # Django templates only for the framework's own pages (DRF's browsable API is off).
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")


def _jit_off(database: Any) -> None:
    """Add ``-c jit=off`` to a PostgreSQL connection's startup options (keeping any given)."""
    options = database.setdefault("OPTIONS", {})
    options["options"] = " ".join(filter(None, [options.get("options", ""), "-c jit=off"]))


#: PostgreSQL: the owner role that migrates (``manage.py migrate --database owner`` and
#: ``manage.py setup_db_roles``), while ``DATABASE_URL`` is the runtime role, which may only
#: INSERT and SELECT on the access log (ADR 0014). Unset: one role does both (development).
DATABASE_OWNER_URL = env_str("DATABASE_OWNER_URL") or env_str("MIGRATE_DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASE_OWNER_URL:
        DATABASES["owner"] = dj_database_url.parse(DATABASE_OWNER_URL, conn_max_age=0)
        # Tests use one connection for both (the test database is made by the owner).
        DATABASES["owner"]["TEST"] = {"MIRROR": "default"}
    # A persistent connection is checked before each request reuses it, so after a database
    # restart no worker fails a request on a dead connection (issue 11, defect 6).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL's JIT compiler off for the application's connections (ADR 0816): it compiled
    # for 60 ms before a manager's overdue visits ran in 28 ms (its threshold is a plan cost,
    # and correlated look-ups over a few hundred rows cost more than that on paper). Pages here
    # run many short statements; none measured gained from it. DATABASE_JIT=on restores it.
    if not env_bool("DATABASE_JIT", False):
        _jit_off(DATABASES["default"])
    # A read replica (a PostgreSQL hot standby) for the dashboards' and reports' reads, and only
    # theirs (diogelu/core/replica.py, ADR 0830). Same role as DATABASE_URL: row security applies
    # there too. Tests use the primary's test database on it (TEST MIRROR: the name only).
    DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
    if DATABASE_REPLICA_URL:
        DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
        DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
        if not env_bool("DATABASE_JIT", False):
            _jit_off(DATABASES["replica"])
        DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(VAR_DIR / "diogelu.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
# Each request is one transaction, so an access-log row commits with the read it records.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASE_ROUTERS = ["diogelu.core.replica.ReplicaRouter"]
#: After a POST (or any unsafe method) the browser reads from the primary for this long, so a
#: dashboard shown after a change shows it even if the replica is behind (ADR 0830).
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 10)

# --- Accounts and authentication ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "sign_in"
LOGIN_REDIRECT_URL = "my_work"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # Offline: a bundled list of passwords published after breaches (docs/adr/0412).
    {"NAME": "diogelu.accounts.passwords.BreachedPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Links to set a password (emailed through the outbox): single use, valid this many hours.
PASSWORD_LINK_NEW_ACCOUNT_HOURS = env_int("PASSWORD_LINK_NEW_ACCOUNT_HOURS", 72)
PASSWORD_LINK_RESET_HOURS = env_int("PASSWORD_LINK_RESET_HOURS", 1)
# MFA is required by default whenever DEBUG is off; a deployment can say otherwise explicitly.
MFA_REQUIRED = env_bool("MFA_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = SITE_NAME

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "diogelu.accounts.views.locked_out"
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_VERBOSE = False
# Across usernames: failed sign-ins from one address in an hour before that address is refused for
# the rest of the hour (a password spray). Counted in the shared cache.
SIGN_IN_IP_FAILURE_LIMIT = env_int("SIGN_IN_IP_FAILURE_LIMIT", 30)
SIGN_IN_IP_WINDOW_SECONDS = env_int("SIGN_IN_IP_WINDOW_SECONDS", 3600)
# "Forgot your password" requests from one address in an hour.
PASSWORD_LINK_IP_LIMIT = env_int("PASSWORD_LINK_IP_LIMIT", 10)
# One user reading more than this many children's records of one authority in an hour raises an
# alert to that authority's information governance lead (0 turns it off).
READ_VOLUME_ALERT_THRESHOLD = env_int("READ_VOLUME_ALERT_THRESHOLD", 150)

# Step-up: re-enter the password (and code) before a PDF download, at most this long before it.
STEP_UP_SECONDS = env_int("STEP_UP_SECONDS", 300)
# Accounts not used for this many days are deactivated by the sweep (0 turns the sweep off).
DORMANT_DAYS = env_int("DORMANT_DAYS", 90)

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 15 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

# --- Security headers --------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers probe liveness and readiness over plain HTTP on the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
else:
    SESSION_COOKIE_NAME = "diogelu_session"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# --- Language and time -------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "diogelu" / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "diogelu" / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- API ---------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "diogelu.api.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["diogelu.api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "DEFAULT_PAGINATION_CLASS": "diogelu.api.pagination.LimitOffsetPage",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "diogelu.api.problems.problem_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env_str("API_RATE", "600/hour")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Diogelu API",
    "DESCRIPTION": (
        "Multi-agency safeguarding API for Welsh children's services. Every read of a person's "
        "record is access-logged; errors are application/problem+json."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "diogelu.api.schema_hooks.document_problems",
    ],
    "ENUM_NAME_OVERRIDES": {
        "EventKindEnum": "diogelu.chronology.models.EventKind",
        "AuditStageEnum": "diogelu.audit.models.Stage",
        "CaseStageEnum": "diogelu.oversight.models.CaseStage",
        "ReportStatusEnum": "diogelu.referrals.models.ReportStatus",
        "RequestStatusEnum": "diogelu.sharing.models.RequestStatus",
        "StrategyKindEnum": "diogelu.enquiries.models.StrategyKind",
        "S47KindEnum": "diogelu.enquiries.models.S47Kind",
        "YesNoUnknownEnum": "diogelu.referrals.models.YesNoUnknown",
        # Conferences, the register and plans (the register's categories are the report's).
        "CategoriesEnum": "diogelu.conferences.models.Category",
        "ConferenceKindEnum": "diogelu.conferences.models.ConferenceKind",
        "ConveneKindEnum": "diogelu.conferences.api.serializers.CONVENE_KINDS",
        "ConferenceStatusEnum": "diogelu.conferences.models.ConferenceStatus",
        "PlanVersionStatusEnum": "diogelu.plans.models.VersionStatus",
        "SupervisionKindEnum": "diogelu.oversight.models.SupervisionKind",
        "ActionStatusEnum": "diogelu.plans.models.ActionStatus",
        # Case notes and missing episodes.
        "NoteKindEnum": "diogelu.chronology.models.NoteKind",
        "MissingEpisodeKindEnum": "diogelu.people.models.EpisodeKind",
        # Exploitation (ADR 0710).
        "ExploitationConcernEnum": "diogelu.exploitation.models.ConcernType",
        "ExploitationFlagSourceEnum": "diogelu.exploitation.models.FlagSource",
        "ExploitationRiskLevelEnum": "diogelu.exploitation.models.RiskLevel",
        "ExploitationContextKindEnum": "diogelu.exploitation.models.ContextKind",
        "ExploitationLinkNatureEnum": "diogelu.exploitation.models.LinkNature",
        "ExploitationLinkSourceEnum": "diogelu.exploitation.models.LinkSource",
        "ExploitationNRMDecisionEnum": "diogelu.exploitation.models.NRMDecision",
        "ExploitationNRMStageEnum": "diogelu.exploitation.api.serializers.NRM_STAGES",
        "ExploitationScreeningItemEnum": "diogelu.exploitation.api.serializers.SCREENING_ITEMS",
        # The improvement plan (ADR 0730).
        "ImprovementActionStatusEnum": (
            "diogelu.measures.api.serializers.IMPROVEMENT_ACTION_STATUSES"
        ),
        "EvidenceKindEnum": "diogelu.measures.api.serializers.EVIDENCE_KINDS",
    },
}
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365)
#: The largest page any API list returns (``?limit=`` above it is refused with 400).
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 100)

# --- Background work ---------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if (
    REDIS_URL
    and _XDIST_WORKER.startswith("gw")
    and os.environ.get("DIOGELU_XDIST_REDIS") != _XDIST_WORKER
):
    # The test suite in parallel (pytest-xdist, docs/dev/testing.md): each worker process gets a
    # Redis database of its own (the given one + 1 + its number), as pytest-django gives it a
    # test database of its own, so one worker's cache clearing, broker queues and Celery worker
    # never meet another's. Written back to the environment so the processes a test starts (a
    # Celery worker, gunicorn) use the same one. Never set outside a parallel test run.
    from urllib.parse import urlsplit as _split

    _parts = _split(REDIS_URL)
    _base = int(_parts.path.lstrip("/") or 0)
    _db = (_base + 1 + int(_XDIST_WORKER[2:])) % 16
    REDIS_URL = _parts._replace(path=f"/{_db}").geturl()
    os.environ["REDIS_URL"] = REDIS_URL
    os.environ["DIOGELU_XDIST_REDIS"] = _XDIST_WORKER  # a child process does not move it again
# The cache is shared by every worker: DRF's throttles, the per-address sign-in limit and the
# password-link limits count there (docs/adr/0410-shared-store-for-limits.md). Redis when the
# deployment has it, otherwise a database table (created by core's migration 0002).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "diogelu",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "diogelu_cache",
        }
    }
# /metrics (Prometheus) answers only a scraper sending this bearer token; unset: /metrics is 404.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_ACKS_LATE = True
#: Three queues, so that one kind of work never waits behind another (docs/deployment.md):
#: ``delivery`` (the outbox: notifications and acknowledgements, seconds matter), ``reminders``
#: (the tick's sweeps of due dates), ``batch`` (long counting and imports: the measures' daily
#: warm-up). Every task is routed (``tests/test_celery_queues.py``); anything unrouted would go to
#: ``batch``, the least urgent. The MASH dashboard's closed-loop recount (a few seconds, ADR
#: 0824) and the measures' refresh before their cache expires (ADR 0825) go with the reminders:
#: they must not wait behind an import. A worker takes the queues
#: in ``CELERY_QUEUES`` (all three on one machine; one worker per queue where there are more).
CELERY_TASK_ROUTES = {
    "diogelu.deliver_outbox": {"queue": "delivery"},
    "diogelu.run_reminders": {"queue": "reminders"},
    "diogelu.measures_warm": {"queue": "batch"},
    "diogelu.mash_loop_measures": {"queue": "reminders"},
    "diogelu.measures_refresh": {"queue": "reminders"},
}
CELERY_TASK_DEFAULT_QUEUE = "batch"
CELERY_QUEUE_NAMES = ("delivery", "reminders", "batch")
#: Declared, so a worker started without ``--queues`` takes all three (not only the default).
CELERY_TASK_QUEUES = tuple(Queue(name) for name in CELERY_QUEUE_NAMES)  # type: ignore[no-untyped-call]
CELERY_TASK_REJECT_ON_WORKER_LOST = True
#: Beat's crontab entries (the measures' 00:05) are local time.
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "deliver-outbox": {"task": "diogelu.deliver_outbox", "schedule": 60.0},
    "run-reminders": {"task": "diogelu.run_reminders", "schedule": 900.0},
    # The measures' closed months for the new day, off the request path (ADR 0730): 00:05 local
    # time, before anyone opens the dashboard; the tick's measures.warm sweep is the fallback.
    "measures-warm": {
        "task": "diogelu.measures_warm",
        "schedule": crontab(hour=0, minute=5),
    },
    # The performance dashboard's series counted again before their five-minute cache expires
    # (ADR 0825): no page waits for the open month's count.
    "measures-refresh": {"task": "diogelu.measures_refresh", "schedule": 240.0},
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The SMTP relay (with EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend). A timeout, so
# a relay that stops answering fails the emails (retried by the next sweep) instead of holding a
# delivery worker for ever.
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "diogelu@localhost")

# --- Procedures --------------------------------------------------------------------------------
BREAK_GLASS_HOURS = env_int("BREAK_GLASS_HOURS", 8)
#: A plan version whose quality score is below this (0-100) is published only with a manager's
#: sign-off and reason (docs/configuration.md).
PLAN_QUALITY_THRESHOLD = env_int("PLAN_QUALITY_THRESHOLD", 75)
# Access-log rows are sealed into the hash chain just after they commit; verify_access_log fails
# on a row left unsealed for longer than this (the sweep seals stragglers).
# Longer than the beat interval of the sealing sweep (tick, every 15 minutes), so a row a sealer
# missed is never reported before the sweep has had its turn.
ACCESS_LOG_SEAL_GRACE_SECONDS = env_int("ACCESS_LOG_SEAL_GRACE_SECONDS", 1800)
#: Where the sweep appends the access log's chain head (one JSON line each time it moves), and
#: where ``verify_access_log`` reads the last one from: a path the database server cannot write
#: (ADR 0014). Empty: no export (the embedded SQLite default).
ACCESS_LOG_HEAD_EXPORT_PATH = env_str("ACCESS_LOG_HEAD_EXPORT_PATH")

# --- Logging: ids only, never personal data ----------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "diogelu.core.middleware.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "diogelu.core.log_format.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            # LOG_FORMAT=json: one JSON object a line, the same fields (docs/deployment.md)
            "formatter": "json" if env_str("LOG_FORMAT", "plain").lower() == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}
CSRF_FAILURE_VIEW = "diogelu.core.views.csrf_failure"
