"""``/api/v1/``: the schema, then each app's own URLconf (``diogelu/<app>/api/urls.py``).

Every route keeps its name in the ``v1`` namespace (the app URLconfs set no ``app_name``).
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

app_name = "v1"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("", include("diogelu.accounts.api.urls")),
    path("", include("diogelu.access.api.urls")),  # whom you may name: /agencies/, /users/
    path("", include("diogelu.people.api.urls")),
    path("", include("diogelu.chronology.api.urls")),
    # The MASH workflow
    path("", include("diogelu.referrals.api.urls")),
    path("", include("diogelu.sharing.api.urls")),
    path("", include("diogelu.enquiries.api.urls")),
    # Conferences, the register and care and support protection plans
    path("", include("diogelu.conferences.api.urls")),
    path("", include("diogelu.plans.api.urls")),
    path("", include("diogelu.oversight.api.urls")),
    path("", include("diogelu.exploitation.api.urls")),
    path("", include("diogelu.measures.api.urls")),
    path("", include("diogelu.audit.api.urls")),
]
