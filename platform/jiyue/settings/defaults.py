"""Settings that hold in every deployment: apps, middleware, templates, i18n."""
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]

# Tables in the public schema: the registry, identity, sessions, ops data.
SHARED_APPS = [
    "django_tenants",
    "tenants.registry",
    "tenants.provisioning",
    "jiyue.identity",
    "jiyue.audit",
    "jiyue.console",
    "shared_library.taxonomy",
    "shared_library.resources",
    "shared_library.search",
    "shared_library.reposting",
    "tenants.checks",
    "tenants.publishing",
    "tenants.lifecycle",
    "ops.retirement",
    "rest_framework",
    "drf_spectacular",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

# Tables in every site's schema: the editorial plane (Wagtail) and the site's own groups.
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    # The back office's frame (site context, platform identity, editor guide) and the
    # dashboard's work panels: before wagtail.admin, whose templates they override.
    "tenants.backoffice",
    "tenants.dashboard",
    "tenants.access",
    "tenants.columns",
    "tenants.content",
    "tenants.review",
    "tenants.reposts",
    "tenants.media",
    "wagtail.contrib.table_block",
    # Old public URLs of moved pages answer 301 (tenants.content.short_urls).
    "wagtail.contrib.redirects",
    "wagtail.contrib.forms",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
]

INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "registry.Site"
TENANT_DOMAIN_MODEL = "registry.Domain"
AUTH_USER_MODEL = "identity.User"
PUBLIC_SCHEMA_NAME = "public"
# The schemas new sites are cloned from, one per kind of site (each holds that kind's
# default column tree); `jiyue migrate` keeps them migrated. The first one is where
# the SQL of pending migrations is collected.
JIYUE_TEMPLATE_SCHEMAS = {"portal": "jiyue_template_portal", "department": "jiyue_template_department"}
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The request's source address for the operation log (jiyue.audit).
    "jiyue.audit.context.AuditContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Chooses the site (schema and URLconf) from the Host header; before anything
    # that may touch the database.
    "jiyue.routing.middleware.SiteRoutingMiddleware",
    # Refuses an oversized back-office upload from its Content-Length, before the
    # session/CSRF/view code reads the body (tenants.media).
    "tenants.media.middleware.UploadSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jiyue.routing.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Refuses /s/<code>/ back-office requests from people without a grant on that site.
    "jiyue.routing.middleware.SiteAccessMiddleware",
    # A moved page's old public URL answers 301 (wagtail.contrib.redirects, site hosts only).
    "tenants.content.middleware.PublicRedirectMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A back-office write is one transaction: a page change and its publish event
    # commit together (tenants.publishing).
    "tenants.publishing.middleware.AtomicBackOfficeWritesMiddleware",
    # A refused submission or approval becomes a message on the edit form (draft kept).
    "tenants.review.middleware.ReviewRefusalMiddleware",
]

# Every request gets its URLconf from the router; this one serves code outside a request
# (Celery tasks, commands), which mostly works inside one site and needs its page URLs.
ROOT_URLCONF = "jiyue.urls.site_public"
WSGI_APPLICATION = "jiyue.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [REPO_ROOT / "themes" / "default" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jiyue.console.context_processors.console_navigation",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [REPO_ROOT / "platform" / "jiyue" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
MEDIA_URL = "/media/"
# Static files are served by WhiteNoise from the finders, so the demo needs no collectstatic.
WHITENOISE_USE_FINDERS = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One session for the console and every site's back office (统一身份认证).
SESSION_COOKIE_NAME = "jiyue_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_NAME = "jiyue_csrftoken"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
# Wagtail's admin lives under /s/<site-code>/admin/ on the console host; it signs in
# through the console so that one sign-in serves every site.
WAGTAILADMIN_LOGIN_URL = "/login/"
WAGTAIL_SITE_NAME = "集约"
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Review before publishing (tenants.review): an edit after approval needs approval
# again, and the finished workflow publishes through the 保密审查 gate.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_FINISH_WORKFLOW_ACTION = "tenants.review.services.publishing.publish_approved_workflow_state"
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]

# Routing: how often (seconds) a process re-checks the shared host-map version.
JIYUE_HOSTMAP_CHECK_INTERVAL = 1.0

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"jiyue": {"level": "INFO"}, "tenants": {"level": "INFO"}},
}

# Uploads (images and documents): recognised by content, not name (tenants.media).
# Owned by tenants/media; the limits are what editors see in the refusal messages.
JIYUE_UPLOAD_MAX_BYTES = 50 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Wagtail's document field and multiple uploader (which checks in the browser) use the same limit.
WAGTAILDOCS_MAX_UPLOAD_SIZE = JIYUE_UPLOAD_MAX_BYTES
WAGTAILIMAGES_IMAGE_FORM_BASE = "tenants.media.forms.SiteImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "tenants.media.forms.SiteDocumentForm"
# Allow-lists; the content behind each extension is checked (tenants.media.validators).
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = [
    "pdf", "ofd", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "dps", "txt", "csv",
    "zip", "rar", "7z", "png", "jpg", "jpeg", "gif", "webp", "bmp", "tif", "tiff", "svg",
]
# Documents always go through Wagtail's serve view, on the site's own host: looked up in
# the site's schema, sent with nosniff and a "default-src 'none'" CSP, and the bucket
# needs no public access (the default would redirect to the S3 URL).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# django-storages overwrites an S3 object of the same name by default: two uploads named
# 通知.pdf would then share one file. Keep both, as the local storage does.
AWS_S3_FILE_OVERWRITE = False

# -- Site lifecycle (tenants.lifecycle) -------------------------------------------------
# Working days each review step has, by the level of the reviewing office.
JIYUE_LIFECYCLE_STEP_DAYS = {"county": 5, "city": 5, "province": 10}
# A reminder goes to the reviewers this many working days before a step is due.
JIYUE_LIFECYCLE_REMIND_DAYS_BEFORE = 1
# Temporary offline: at most this many days, once per calendar year.
JIYUE_TEMPORARY_OFFLINE_MAX_DAYS = 30
# The beat brings a temporarily offline site back on its planned date.
JIYUE_TEMPORARY_OFFLINE_AUTO_RETURN = True
# An approved permanent closure whose checklist is not done in this many days is escalated.
JIYUE_CLOSURE_DEADLINE_DAYS = 90
# After a domain change the old domain answers with 301s for this many days.
JIYUE_DOMAIN_CHANGE_REDIRECT_DAYS = 180

# Wagtail's admin API shares Django REST framework: authentication, permissions and the
# error format are set on Jiyue's own API views (tenants.lifecycle.api), not globally.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Jiyue API",
    "DESCRIPTION": "Opening, offline and change filings of government websites, for a province's OA system.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Two choice sets are both called "kind" (a request's, a site's).
    "ENUM_NAME_OVERRIDES": {
        "RequestKindEnum": "tenants.lifecycle.models.RequestKind",
        "SiteKindEnum": "tenants.registry.models.SiteKind",
    },
}

# -- Province-wide search (shared_library.search) ---------------------------------------
# The backend class (shared_library/search/README.md); PostgreSQL full text, with the
# RUM indexes where the server has the extension.
JIYUE_SEARCH_BACKEND = "shared_library.search.backends.postgres.PostgresBackend"
