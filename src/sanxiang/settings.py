"""Settings, read from the environment.

DATABASE_URL  database (default: SQLite file var/sanxiang.sqlite3 under the project root)
MEDIA_ROOT    where stored files go (default: var/media)
SECRET_KEY    required when DEBUG is off; in development a random key is kept in var/secret_key
DEBUG         "1" for development (default "0")
ALLOWED_HOSTS comma-separated host names
"""

import os
import secrets
from pathlib import Path

import dj_database_url
import django_stubs_ext

# Lets generic admin/queryset classes be subscripted at run time, as django-stubs types them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
# src/sanxiang/settings.py -> the checkout root; override with SANXIANG_HOME when installed.
PROJECT_ROOT = Path(os.environ.get("SANXIANG_HOME", BASE_DIR.parent.parent))
VAR_DIR = Path(os.environ.get("SANXIANG_VAR", PROJECT_ROOT / "var"))

DEBUG = os.environ.get("DEBUG", "0") == "1"


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if not DEBUG and os.environ.get("SANXIANG_REQUIRE_SECRET") == "1":
        raise RuntimeError("SECRET_KEY 未设置：生产环境必须通过环境变量提供 SECRET_KEY。")
    # Development and tests: a random key kept outside the repository.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "ninja",
    "sanxiang.core",
    "sanxiang.org",
    "sanxiang.records",
    "sanxiang.catalog",
    "sanxiang.procedures",
    "sanxiang.cases",
    "sanxiang.review",
    "sanxiang.access",
    "sanxiang.archives",
    "sanxiang.disclosure",
    "sanxiang.inspections",
    "sanxiang.documents",
    "sanxiang.api",
    "sanxiang.workbench",
    "sanxiang.sampledata",
    "sanxiang.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it locks out repeated failed logins.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "sanxiang.urls"
WSGI_APPLICATION = "sanxiang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
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

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sanxiang.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Serialise writers instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )

AUTH_USER_MODEL = "org.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "workbench:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Lock an account+address pair out after repeated failed logins.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "workbench/locked_out.html"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

# The tamper-evident file store (docs/storage.md): "local" under MEDIA_ROOT/store, or "s3"
# (an S3-compatible bucket with Object Lock, configured as STORAGES["evidence"]).
SANXIANG_FILE_STORE = os.environ.get("SANXIANG_FILE_STORE", "local")
SANXIANG_UPLOAD_MAX_SIZE = int(os.environ.get("SANXIANG_UPLOAD_MAX_SIZE", str(20 * 1024**3)))
SANXIANG_S3_OBJECT_LOCK_MODE = os.environ.get("SANXIANG_S3_OBJECT_LOCK_MODE") or None
SANXIANG_S3_RETENTION_DAYS = int(os.environ.get("SANXIANG_S3_RETENTION_DAYS", "10950"))
if SANXIANG_FILE_STORE == "s3":
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "evidence": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": os.environ["SANXIANG_S3_BUCKET"],
                "location": "store",
                "object_parameters": {"ServerSideEncryption": "AES256"},
                "endpoint_url": os.environ.get("SANXIANG_S3_ENDPOINT_URL") or None,
                "region_name": os.environ.get("SANXIANG_S3_REGION") or None,
            },
        },
    }

# The unified disclosure platform that published decisions are pushed to (000 公示办法 第十八条);
# unset: `sanxiang push_publications` refuses to run rather than pretend to push.
SANXIANG_PUSH_URL = os.environ.get("SANXIANG_PUSH_URL", "")
SANXIANG_PUSH_TOKEN = os.environ.get("SANXIANG_PUSH_TOKEN", "")
# Proof attached to a correction request (002 第二十一条), per file.
SANXIANG_CORRECTION_EVIDENCE_MAX_BYTES = int(
    os.environ.get("SANXIANG_CORRECTION_EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024))
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG and os.environ.get("SANXIANG_HTTPS") == "1":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
