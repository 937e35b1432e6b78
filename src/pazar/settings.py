"""Pazar's one settings module: every deployment choice comes from the environment (see pazar.core.config)."""

import os
from pathlib import Path

from pazar.core import config
from pazar.core.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(config.env_str("PAZAR_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = config.secret_key(DATA_DIR)
DEBUG = config.env_bool("PAZAR_DEBUG", False)

# Where `pazar serve` listens. Serving on a loopback address is the embedded, local-only mode:
# plain HTTP is allowed there, anywhere else HTTPS is required unless PAZAR_REQUIRE_HTTPS=0.
PAZAR_HOST = config.env_str("PAZAR_HOST", "127.0.0.1")
PAZAR_PORT = int(config.env_str("PAZAR_PORT", "8000"))
PAZAR_PUBLIC_URL = config.env_str("PAZAR_PUBLIC_URL").rstrip("/")
PAZAR_REQUIRE_HTTPS = config.env_bool(
    "PAZAR_REQUIRE_HTTPS", not config.is_loopback_host(PAZAR_HOST)
)

_default_hosts = ["localhost", "127.0.0.1", "[::1]", ".localhost", "testserver"]
if PAZAR_PUBLIC_URL:
    from urllib.parse import urlsplit

    _default_hosts.append(urlsplit(PAZAR_PUBLIC_URL).hostname or "")
if PAZAR_HOST not in {"0.0.0.0", "::", ""}:  # noqa: S104 - a wildcard bind is not a host name
    _default_hosts.append(PAZAR_HOST)
elif not PAZAR_PUBLIC_URL:
    _default_hosts = ["*"]
ALLOWED_HOSTS = config.env_list("PAZAR_ALLOWED_HOSTS", _default_hosts)

# Proxies whose X-Forwarded-Proto / X-Forwarded-For are believed (addresses or networks).
PAZAR_TRUSTED_PROXIES = config.env_list("PAZAR_TRUSTED_PROXIES", ["127.0.0.1", "::1"])

INSTALLED_APPS = [
    # The back office's theme: it must come before django.contrib.admin to replace its pages.
    "unfold",
    "unfold.contrib.filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "pazar.core.tasks_app.TasksDatabaseConfig",  # django_tasks_db, its name translated
    "pazar.core",
    "pazar.backoffice",
    "pazar.languages",
    "pazar.accounts",
    "pazar.catalog",
    "pazar.pricing",
    "pazar.inventory",
    "pazar.marketplace",
    "pazar.callbacks",
    "pazar.batches",
    "pazar.applications",
    "pazar.whippy",
    "pazar.images",
    "pazar.channels",
    "pazar.geography",
    "pazar.customers",
    "pazar.orders",
    "pazar.fulfilment",
    "pazar.claims",
    "pazar.sites",
]

MIDDLEWARE = [
    "pazar.core.middleware.RequestObservabilityMiddleware",
    "pazar.api.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pazar.backoffice.middleware.BackOfficeLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pazar.api.middleware.ApiRequestMiddleware",
]

ROOT_URLCONF = "pazar.urls"
WSGI_APPLICATION = "pazar.wsgi.application"
# API paths are served with and without their trailing slash (see pazar.api.middleware), so
# CommonMiddleware must never answer a POST with a redirect that clients would turn into a GET.
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # django-unfold's templates that the back office corrects (labels of search boxes);
        # ahead of the apps' own templates, where the theme's come first.
        "DIRS": [BASE_DIR / "backoffice" / "overrides"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = config.env_str("DATABASE_URL")
if DATABASE_URL:
    # PAZAR_DB_POOL: a psycopg connection pool per process; PAZAR_DB_PGBOUNCER: behind PgBouncer
    # in transaction mode (docs/deploy.md).
    DATABASES = {
        "default": config.database(
            DATABASE_URL,
            pool=config.env_str("PAZAR_DB_POOL") or None,
            pgbouncer=config.env_bool("PAZAR_DB_PGBOUNCER", False),
        )
    }
    # One test database per test process, so that test runs side by side never share one.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "pazar.sqlite3",
            "OPTIONS": {
                # WAL lets readers and one writer work at once across the web and worker
                # processes; IMMEDIATE takes the write lock at BEGIN so that two writers
                # queue on the busy timeout instead of failing with "database is locked".
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
            # Tests use a file, not shared-cache memory, so that threads and processes in
            # the concurrency tests lock like production processes do.
            # One file per test process, so that test runs side by side never share one.
            "TEST": {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")},
            # Keep the connection (and its PRAGMAs) across requests of a worker process.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = config.env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's, answering as an empty cache while Redis is down (docs/reliability.md).
            "BACKEND": "pazar.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pazar",
            # Without timeouts a Redis that hangs would hang every request that reads the cache.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "pazar_cache",
        }
    }

TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "callbacks"]},
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
# The back office's own languages (its pages only: the APIs answer in English, and there
# Accept-Language picks the translations of catalog data instead). The compiled catalogs are
# committed next to their sources, so no gettext tools are needed to run Pazar.
# Signing in to the admin without a `next` lands on its index, not Django's /accounts/profile/.
LOGIN_URL = "/admin/login/"
LOGIN_REDIRECT_URL = "/admin/"

# One date format per language on every back-office page.
FORMAT_MODULE_PATH = ["pazar.backoffice.formats"]

LANGUAGES = [("en", "English"), ("tr", "Türkçe")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = DATA_DIR / "files"
MEDIA_URL = "files/"
STORAGES = {
    # The data dir's files/, or an S3-compatible bucket with PAZAR_S3_BUCKET (docs/deploy.md).
    "default": config.default_storage(MEDIA_ROOT),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files are found in the installed packages at run time, so `make serve` needs no
# collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False

# The operators' back office (the admin, with the django-unfold theme) and its navigation.
UNFOLD = {
    "SITE_TITLE": "Pazar",
    "SITE_HEADER": "Pazar",
    "SITE_SYMBOL": "storefront",
    "SHOW_LANGUAGES": True,
    "SHOW_VIEW_ON_SITE": False,
    # No "View site"/"Return to site": the admin is the site (`/` is an API host's 404).
    "SITE_URL": None,
    "STYLES": ["pazar.backoffice.navigation.stylesheet"],
    "SCRIPTS": ["pazar.backoffice.navigation.script"],
    # The sidebar's search opens the command search, which finds products and stocks by SKU
    # (and the queue by SKU or name), besides the pages.
    "COMMAND": {
        "search_models": ["catalog.product", "backoffice.pendingproduct", "whippy.stock"],
    },
    "SIDEBAR": {
        "show_search": True,
        "command_search": True,
        "show_all_applications": True,
        "navigation": "pazar.backoffice.navigation.sidebar",
    },
}

# HTTPS (seed 004: HTTPS only), relaxed only for the loopback embedded mode.
SECURE_SSL_REDIRECT = PAZAR_REQUIRE_HTTPS
SESSION_COOKIE_SECURE = PAZAR_REQUIRE_HTTPS
CSRF_COOKIE_SECURE = PAZAR_REQUIRE_HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if PAZAR_REQUIRE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PAZAR_REQUIRE_HTTPS
SECURE_HSTS_PRELOAD = PAZAR_REQUIRE_HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^metrics$"]
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["pazar.api.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "pazar.api.negotiation.AcceptAnyNegotiation",
    "DEFAULT_AUTHENTICATION_CLASSES": ["pazar.accounts.authentication.UserTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["pazar.api.throttling.FamilyRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "pazar.api.pagination.PagePagination",
    "PAGE_SIZE": 10,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "pazar.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "pazar.api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Pazar",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/[iv][0-9]",
    # The root URLconf is not a published document; each site's schema is checked by the tests.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    # Choice sets that share a field name get names of their own in the documents.
    "ENUM_NAME_OVERRIDES": {
        "ProductImageStatusEnum": "pazar.images.models.ImageStatus",
        "ImageDownloadStatusEnum": "pazar.images.models.DownloadStatus",
        "BatchRequestStatusEnum": "pazar.channels.models.BatchStatus",
        "IntegrationActionStatusEnum": "pazar.channels.models.ActionStatus",
        "OrderItemStatusEnum": "pazar.orders.models.OrderItemStatus",
        "OrderCancelStatusEnum": "pazar.orders.models.CancelStatus",
        "ClaimCancelledByEnum": "pazar.claims.models.CancelledBy",
        "ClaimStatusEnum": "pazar.claims.models.ClaimStatus",
        "CancellationTypeEnum": "pazar.claims.models.CancellationType",
    },
}

# Login limits (pazar.accounts.logins): `login` and `login-address` of PAZAR_RATE_LIMITS give
# the free failures per account (and the first lock) and the failure budget per address; these
# bound the escalation. 24 h of memory and a 1-hour cap make about 35 guesses a day per account.
PAZAR_LOGIN_LOCK_MAX_SECONDS = int(config.env_str("PAZAR_LOGIN_LOCK_MAX_SECONDS", "3600"))
PAZAR_LOGIN_FAILURES_KEPT_SECONDS = int(
    config.env_str("PAZAR_LOGIN_FAILURES_KEPT_SECONDS", str(24 * 3600))
)
PAZAR_LOGIN_KNOWN_ADDRESS_SECONDS = int(
    config.env_str("PAZAR_LOGIN_KNOWN_ADDRESS_SECONDS", str(30 * 24 * 3600))
)

# Mail (lockout notices). Without PAZAR_EMAIL_HOST mail is written to the log (console backend).
EMAIL_HOST = config.env_str("PAZAR_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(config.env_str("PAZAR_EMAIL_PORT", "587"))
EMAIL_HOST_USER = config.env_str("PAZAR_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = config.env_str("PAZAR_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = config.env_bool("PAZAR_EMAIL_TLS", True)
EMAIL_TIMEOUT = 10  # a login waiting on a mail server waits no longer
DEFAULT_FROM_EMAIL = config.env_str("PAZAR_EMAIL_FROM", "pazar@localhost")

# Rate limits per family (requests per window), None when PAZAR_RATE_LIMITS=off.
PAZAR_RATE_LIMITS = config.rate_limits(config.env_str("PAZAR_RATE_LIMITS") or None)
PAZAR_BULK_MAX_ITEMS = 1000
# The largest request body read (Django's default is 2.5 MB): 1000 rich PRD101 rows (long
# descriptions, many attributes and images) fit; a larger body is a 413 naming the limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(config.env_str("PAZAR_MAX_BODY_BYTES", str(8 * 1024 * 1024)))
PAZAR_PAGE_MAX_LIMIT = 1000
# Seller Center sessions from /api/i1/token/obtain/ last this long.
PAZAR_SELLER_SESSION_SECONDS = int(config.env_str("PAZAR_SELLER_SESSION_SECONDS", "86400"))
# Batch requests: how long a worker's claim lasts unless renewed before another may take the
# batch over (the worker renews it every third of that while the batch makes progress), and how
# many claims a batch gets before it ends failed (status 4).
PAZAR_BATCH_LEASE_SECONDS = float(config.env_str("PAZAR_BATCH_LEASE_SECONDS", "10"))
# A batch whose worker runs no database statement for this long is given up: its lease is no
# longer renewed and `pazar worker` exits, so that the batch is taken over (docs/reliability.md).
PAZAR_BATCH_STALL_SECONDS = float(config.env_str("PAZAR_BATCH_STALL_SECONDS", "20"))
PAZAR_BATCH_MAX_ATTEMPTS = 3
# Pause before a failed attempt is retried, times the attempts made so far.
PAZAR_BATCH_RETRY_SECONDS = 5
PAZAR_CALLBACK_MAX_ATTEMPTS = 6
# Answers to Seller Center actions sent with an Idempotency-Key are kept this long.
PAZAR_IDEMPOTENCY_KEEP_HOURS = 24
PAZAR_CALLBACK_BACKOFF_SECONDS = 10
# Outbound requests to user-configured URLs (callbacks, app proxy, image downloads) may reach
# loopback and private networks only when this is on.
PAZAR_ALLOW_PRIVATE_NETWORKS = config.env_bool("PAZAR_ALLOW_PRIVATE_NETWORKS", False)
# Product images downloaded from URLs (docs/omnitron.md, "Product images"): each download gets
# these connect and read timeouts, must be over within the deadline and may not exceed the size.
PAZAR_IMAGE_DOWNLOAD_CONNECT_TIMEOUT_SECONDS = float(
    config.env_str("PAZAR_IMAGE_DOWNLOAD_CONNECT_TIMEOUT_SECONDS", "5")
)
PAZAR_IMAGE_DOWNLOAD_READ_TIMEOUT_SECONDS = float(
    config.env_str("PAZAR_IMAGE_DOWNLOAD_READ_TIMEOUT_SECONDS", "15")
)
PAZAR_IMAGE_DOWNLOAD_DEADLINE_SECONDS = float(
    config.env_str("PAZAR_IMAGE_DOWNLOAD_DEADLINE_SECONDS", "60")
)
# The largest image file accepted, downloaded or uploaded.
PAZAR_IMAGE_MAX_BYTES = int(config.env_str("PAZAR_IMAGE_MAX_BYTES", str(10 * 1024 * 1024)))
# The largest product video (an .mp4 upload).
PAZAR_VIDEO_MAX_BYTES = int(config.env_str("PAZAR_VIDEO_MAX_BYTES", str(50 * 1024 * 1024)))
# The app proxy (docs/applications.md). A slow application holds a server worker until it
# answers, at most the read timeout; request bodies are held in memory, hence the cap.
PAZAR_APP_PROXY_CONNECT_TIMEOUT_SECONDS = float(
    config.env_str("PAZAR_APP_PROXY_CONNECT_TIMEOUT_SECONDS", "5")
)
PAZAR_APP_PROXY_TIMEOUT_SECONDS = float(config.env_str("PAZAR_APP_PROXY_TIMEOUT_SECONDS", "30"))
PAZAR_APP_PROXY_MAX_BODY_BYTES = int(
    config.env_str("PAZAR_APP_PROXY_MAX_BODY_BYTES", str(10 * 1024 * 1024))
)
PAZAR_APP_PROXY_MAX_CONNECTIONS = int(config.env_str("PAZAR_APP_PROXY_MAX_CONNECTIONS", "100"))
# Proxied pages run sandboxed (an opaque origin): an application's scripts cannot act as Pazar.
PAZAR_APP_PROXY_SANDBOX = config.env_bool("PAZAR_APP_PROXY_SANDBOX", True)
# Work every worker process does every few seconds besides its tasks.
# Whippy Ware's drain also runs here, so pending figures are recomputed even if a task was lost.
PAZAR_WORKER_PERIODIC = [
    "pazar.batches.services.batch_recover",
    "pazar.images.services.image_download_recover",
    "pazar.whippy.services.aggregation.pending_drain",
    "pazar.marketplace.services.idempotency.idempotent_responses_prune",
    "pazar.channels.services.integration.batch_requests_expire",
]
# A sales channel's batch request nobody moved for this long is failed, releasing what it held
# (docs/channels.md).
PAZAR_CHANNEL_BATCH_IDLE_MINUTES = int(config.env_str("PAZAR_CHANNEL_BATCH_IDLE_MINUTES", "60"))
# What is done when a supervised worker process has ended (`pazar serve`), given its pid:
# what it held is released at once instead of when its leases run out.
PAZAR_WORKER_GONE = ["pazar.batches.services.batch_release_worker"]
# A worker that has not reported for this long is reported as stale by /health/.
PAZAR_WORKER_STALE_SECONDS = 60
# /health/ answers 503 once a batch or task has waited longer than this for a worker.
PAZAR_HEALTH_MAX_LAG_SECONDS = int(config.env_str("PAZAR_HEALTH_MAX_LAG_SECONDS", "300"))
# /health/ answers 503 once a batch has been processing longer than this (a 1000-row batch takes
# seconds), or when a batch's lease ran out a lease's length ago and no worker took it over.
PAZAR_HEALTH_MAX_PROCESSING_SECONDS = int(
    config.env_str("PAZAR_HEALTH_MAX_PROCESSING_SECONDS", "60")
)
# /metrics needs this bearer token when set; without it, only loopback clients are served.
PAZAR_METRICS_TOKEN = config.env_str("PAZAR_METRICS_TOKEN")

# `text` for a terminal, `json` (one object per line, with request and batch ids) for collectors.
PAZAR_LOG_FORMAT = config.env_str("PAZAR_LOG_FORMAT", "text").strip().lower()
LOGGING = logging_config(
    log_format=PAZAR_LOG_FORMAT, level=config.env_str("PAZAR_LOG_LEVEL", "INFO")
)
