from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "diogelu.sharing"
    label = "sharing"
    verbose_name = "MASH checks, outcomes and the disclosure log"

    def ready(self) -> None:
        from diogelu.core.sweeps import register_sweep
        from diogelu.sharing import services

        # Looked up when the sweep runs, so a test may replace the function.
        register_sweep("requests_escalated", lambda now: services.escalate_overdue_requests(now))
        register_sweep("outcomes_escalated", lambda now: services.escalate_unacknowledged(now))
