from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "diogelu.sharing"
    label = "sharing"
    verbose_name = "MASH checks, outcomes and the disclosure log"

    def ready(self) -> None:
        from diogelu.core.sweeps import register_sweep
        from diogelu.referrals import hooks
        from diogelu.sharing import services

        # Looked up when the sweep runs, so a test may replace the function.
        register_sweep("requests_escalated", lambda now: services.escalate_overdue_requests(now))
        register_sweep("outcomes_escalated", lambda now: services.escalate_unacknowledged(now))
        # A final decision's outcome is shared, and a report is not closed while one is unshared
        # (sharing registers with referrals, which imports nothing of sharing: ADR 0405).
        # Looked up when called, so a test may replace the function.
        hooks.register_on_decision_final(
            lambda *, actor, decision: services.share_decision_outcome(
                actor=actor, decision=decision
            )
        )
        hooks.register_unshared_outcomes(lambda report: services.unshared_outcomes(report))
        # Enquiries (a sibling, ADR 0770) share a strategy discussion's and a determination's
        # outcome through referrals' hooks; looked up when called, so a test may replace them.
        hooks.register_outcome_sharing(
            "strategy",
            lambda *, actor, strategy: services.share_strategy_outcome(
                actor=actor, strategy=strategy
            ),
        )
        hooks.register_outcome_sharing(
            "determination",
            lambda *, actor, enquiry: services.share_determination_outcome(
                actor=actor, enquiry=enquiry
            ),
        )
        # The MASH report page reads and acts on requests and outcomes through this port.
        from diogelu.sharing.ports import SharingForTheMash

        hooks.register_mash_sharing(SharingForTheMash())
        # The report API's outcomes and requests (ADR 0770).
        from diogelu.sharing.api import report as report_api

        report_api.register()
