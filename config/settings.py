"""Kindred settings, read from the environment (django-environ).

Two ways to run from one file: with nothing set you get the quick start (SQLite,
in-memory channel layer, local-memory cache, background jobs in-process); set
``DATABASE_URL`` and ``REDIS_URL`` for PostgreSQL, channels-redis, the Redis cache
and Celery workers. See README's configuration table.
"""

from pathlib import Path

import django_stubs_ext
import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

# Lets models and admin classes be subscripted for the type checker at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env.str(
        "DJANGO_SECRET_KEY", default="insecure-development-key-never-use-in-production"
    )
else:
    try:
        SECRET_KEY = env.str("DJANGO_SECRET_KEY")
    except ImproperlyConfigured:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(generate one with: python -c 'import secrets; "
            "print(secrets.token_urlsafe(64))')."
        ) from None

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"]
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "channels",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "allauth",
    "allauth.account",
    "community",
    "characters",
    "chat",
    "billing",
    "moderation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "community.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("connect_timeout", 5)
    if env.bool("DATABASE_POOL", default=True):
        # Django's native psycopg pool; CONN_MAX_AGE must stay 0 with it.
        # A request waits at most DATABASE_POOL_TIMEOUT seconds for a connection,
        # so a database outage fails fast (healthz answers 503, not a hang).
        _options["pool"] = {
            "min_size": 1,
            "max_size": env.int("DATABASE_POOL_MAX", default=10),
            "timeout": env.float("DATABASE_POOL_TIMEOUT", default=5.0),
        }
        DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Hot-path statements compiled once (config.compiled) run as server-side
    # prepared statements: planned once per connection, not on every call
    # (a generic plan from the first execution: PostgreSQL would plan the
    # first five for their values — key lookups all, where that gains
    # nothing and cost the send's locking read milliseconds on each new
    # pooled connection). Django's own queries bind on the client and never
    # prepare, so the plan mode touches only these. Turn off behind a pooler
    # that cannot keep prepared statements (PgBouncer < 1.21 in transaction
    # mode).
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        _options.setdefault("prepare_threshold", 0)
        _options.setdefault("options", "-c plan_cache_mode=force_generic_plan")
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "community.User"

# --- Redis: channel layer, cache, Celery ---------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # channels-redis with a group_send of fewer round trips.
            "BACKEND": "config.channel_layers.RedisChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": env.str("CHANNELS_PREFIX", default="kindred"),
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_PREFIX", default="kindred"),
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    # The quick start has no broker and no workers: tasks run in-process.
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True

CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
# Periodic jobs; later apps add their entries here (Celery beat, no database
# scheduler: django-celery-beat has no Django 6.1 release).
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}

# --- Community ---------------------------------------------------------------
# Board "hot" scores decay with age: recompute recent posts every 10 minutes
# (each vote also updates its post at once).
CELERY_BEAT_SCHEDULE.update(
    {
        "community-posts-hot-refresh": {
            "task": "community.posts_hot_refresh",
            "schedule": 600.0,
        },
    }
)

# --- Auth and accounts (django-allauth) ------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "community.forms.SignupProfileForm"
ACCOUNT_USER_DISPLAY = "community.models.account_display"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "/accounts/login/"

# --- Email ---------------------------------------------------------------
# EMAIL_URL: consolemail:// (development default), smtp://user:pass@host:587
# (STARTTLS), smtp+ssl://…:465, or smtp+tls://…; turned into Django 6.1 MAILERS.
_email = env.email_url(
    "EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25"
)
_mail_options: dict[str, object] = {}
if _email["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend":
    _mail_options = {
        "host": _email.get("EMAIL_HOST") or "localhost",
        "port": _email.get("EMAIL_PORT") or 25,
        "username": _email.get("EMAIL_HOST_USER") or "",
        "password": _email.get("EMAIL_HOST_PASSWORD") or "",
        "use_tls": bool(_email.get("EMAIL_USE_TLS")),
        "use_ssl": bool(_email.get("EMAIL_USE_SSL")),
        "timeout": 10,
    }
elif _email["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend":
    _email["EMAIL_BACKEND"] = "config.mail.ReadableConsoleBackend"  # links whole
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"], "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Kindred <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation ------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media ----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
SERVE_MEDIA = env.bool("DJANGO_SERVE_MEDIA", default=True)
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
WHITENOISE_USE_FINDERS = DEBUG
# Uploads: the per-file limits live with each upload's validator; this caps the
# request body Django will hold in memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

# --- Security -------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    # Checkout, the customer portal and Connect onboarding are form posts that
    # redirect to Stripe's hosted pages; browsers hold redirects to form-action.
    "form-action": [
        CSP.SELF,
        "https://checkout.stripe.com",
        "https://billing.stripe.com",
        "https://connect.stripe.com",
    ],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)

# --- API ----------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "community.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly"
    ],
    "DEFAULT_SCHEMA_CLASS": "config.schema.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # One error body for the whole API: {"error", "fields", "code"?}.
    "EXCEPTION_HANDLER": "config.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kindred API",
    "DESCRIPTION": "Characters, chats and community of a Kindred server.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the vendored sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Plans and chat limits (read through billing.entitlements) -------------
FREE_DAILY_MESSAGES = env.int("FREE_DAILY_MESSAGES", default=100)
FREE_MESSAGES_PER_MINUTE = env.int("FREE_MESSAGES_PER_MINUTE", default=10)
LLM_CONTEXT_TOKENS = env.int("LLM_CONTEXT_TOKENS", default=4096)
LLM_CONTEXT_TOKENS_PRO = env.int("LLM_CONTEXT_TOKENS_PRO", default=8192)

# --- Characters ---------------------------------------------------------
TRENDING_HALF_LIFE_HOURS = env.float("TRENDING_HALF_LIFE_HOURS", default=24.0)
CELERY_BEAT_SCHEDULE["characters-trending-refresh"] = {
    "task": "characters.trending_refresh",
    "schedule": env.float("TRENDING_REFRESH_SECONDS", default=600.0),
}

# --- Billing (Stripe) --------------------------------------------------------
# With no STRIPE_SECRET_KEY the pricing page says payments are not configured and
# every other page works; entitlements still honour staff grants.
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
# Pinned: webhook bodies and API responses are parsed in this version's shape.
# It is the version the installed SDK is generated for; set the same version on
# the webhook endpoint in Stripe's dashboard.
STRIPE_API_VERSION = env.str("STRIPE_API_VERSION", default="2026-10-28.endive")
# Tests point this at a local server or intercept it at the HTTP layer.
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="https://api.stripe.com")
STRIPE_PRICE_PRO_MONTHLY = env.str("STRIPE_PRICE_PRO_MONTHLY", default="")
STRIPE_PRICE_PRO_YEARLY = env.str("STRIPE_PRICE_PRO_YEARLY", default="")
STRIPE_PRICE_PRO_LIFETIME = env.str("STRIPE_PRICE_PRO_LIFETIME", default="")
# Shown on the pricing page; the charged amount is the Stripe price's.
PRO_MONTHLY_CENTS = env.int("PRO_MONTHLY_CENTS", default=999)
PRO_YEARLY_CENTS = env.int("PRO_YEARLY_CENTS", default=7999)
PRO_LIFETIME_CENTS = env.int("PRO_LIFETIME_CENTS", default=19999)
PRO_GRACE_DAYS = env.int("PRO_GRACE_DAYS", default=3)
PLATFORM_SHARE_PERCENT = env.int("PLATFORM_SHARE_PERCENT", default=30)
CREATOR_FUND_PERCENT = env.int("CREATOR_FUND_PERCENT", default=20)
CREATOR_PAYOUT_MINIMUM_CENTS = env.int("CREATOR_PAYOUT_MINIMUM_CENTS", default=1000)
PREMIUM_MIN_CENTS = 199
PREMIUM_MAX_CENTS = 1999
PROMOTION_PRICE_CENTS = env.int("PROMOTION_PRICE_CENTS", default=2900)
PROMOTION_DAYS = 7
BILLING_CURRENCY = "usd"
CELERY_BEAT_SCHEDULE["billing-creator-fund-monthly"] = {
    # 02:00 UTC on the 1st: split last month's fund, then pay out balances.
    "task": "billing.tasks.creator_fund_monthly_task",
    "schedule": crontab(minute="0", hour="2", day_of_month="1"),
}
CELERY_BEAT_SCHEDULE["billing-reconcile-hourly"] = {
    "task": "billing.tasks.billing_reconcile_task",
    "schedule": crontab(minute="17"),
}

# --- Chat and LLM -----------------------------------------------------------
# OpenAI-compatible endpoint (vLLM, llama.cpp server, Ollama, hosted APIs); when
# LLM_BASE_URL is empty the built-in offline engine answers (see docs/chat.md).
LLM_BASE_URL = env.str("LLM_BASE_URL", default="")
LLM_API_KEY = env.str("LLM_API_KEY", default="")
LLM_MODEL = env.str("LLM_MODEL", default="default")
LLM_TEMPERATURE = env.float("LLM_TEMPERATURE", default=0.8)
LLM_TOP_P = env.float("LLM_TOP_P", default=0.95)
LLM_MAX_TOKENS = env.int("LLM_MAX_TOKENS", default=400)  # per reply
LLM_FIRST_TOKEN_TIMEOUT = env.float("LLM_FIRST_TOKEN_TIMEOUT", default=30.0)
LLM_IDLE_TIMEOUT = env.float("LLM_IDLE_TIMEOUT", default=20.0)
LLM_RETRIES = env.int("LLM_RETRIES", default=1)  # only before the first token
LLM_STREAM_USAGE = env.bool("LLM_STREAM_USAGE", default=True)
LLM_OFFLINE_WORD_DELAY = env.float("LLM_OFFLINE_WORD_DELAY", default=0.04)
# Where replies are generated: "celery" (workers), "thread" (a background
# thread of the server process) or "auto" (thread when Celery runs eagerly).
CHAT_GENERATION_MODE = env.str("CHAT_GENERATION_MODE", default="auto")
# Quick start / thread mode: generation threads per server process (replies
# beyond this many at once wait for a free thread).
CHAT_GENERATION_THREADS = env.int("CHAT_GENERATION_THREADS", default=256)
CHAT_FLUSH_INTERVAL = env.float("CHAT_FLUSH_INTERVAL", default=0.05)  # seconds
# Any frame whose texts are within their character limits, however JSON
# escapes them: a message of 4,000 astral characters written as \uXXXX\uXXXX
# pairs (12 bytes each, Python's default json.dumps) is 48,000 bytes, its
# 64-character client_id 768 more. 16 KiB refused a 3,000-character CJK text.
CHAT_MAX_FRAME_BYTES = env.int("CHAT_MAX_FRAME_BYTES", default=64 * 1024)
CELERY_TASK_ROUTES = {"chat.reply_generate": {"queue": "default"}}

# --- Logging -------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"daphne": {"level": "WARNING"}},
}
