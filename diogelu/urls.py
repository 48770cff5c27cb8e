"""URLs: pages at the root, the versioned API under /api/v1/."""

from django.urls import include, path
from django.views.i18n import set_language

from diogelu.core.views import healthz, readyz
from diogelu.inbox import inbox_view
from diogelu.metrics import metrics_view
from diogelu.my_work import my_work_view

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", include("diogelu.api.urls", namespace="v1")),
    path("", include("diogelu.accounts.urls")),
    path("", include("diogelu.access.urls")),
    path("", my_work_view, name="my_work"),
    path("", include("diogelu.people.urls")),
    path("", include("diogelu.referrals.urls")),
    path("", include("diogelu.sharing.urls")),
    path("", include("diogelu.enquiries.urls")),
    path("", include("diogelu.conferences.urls")),
    path("", include("diogelu.plans.urls")),
    path("", include("diogelu.oversight.urls")),
    path("", include("diogelu.exploitation.urls")),
    path("", include("diogelu.measures.urls")),
    path("", include("diogelu.audit.urls")),
    path("notifications/", inbox_view, name="inbox"),
    path("", include("diogelu.notifications.urls")),
]

handler400 = "diogelu.core.views.bad_request"
handler403 = "diogelu.core.views.permission_denied"
handler404 = "diogelu.core.views.page_not_found"
handler500 = "diogelu.core.views.server_error"
