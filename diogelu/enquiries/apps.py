from django.apps import AppConfig


class EnquiriesConfig(AppConfig):
    name = "diogelu.enquiries"
    label = "enquiries"
    verbose_name = "Strategy discussions and section 47 enquiries"

    def ready(self) -> None:
        from diogelu.core.extensions import register_my_work_section
        from diogelu.core.sweeps import register_sweep
        from diogelu.enquiries import queues, reminders

        register_sweep("enquiries_reminded", lambda now: reminders.remind_enquiries_due(now))
        # A partner reads back the strategy discussions it took part in (ADR 0640).
        register_my_work_section(queues.partner_strategies_section)
        # The report API's enquiries (ADR 0770).
        from diogelu.enquiries.api import report as report_api

        report_api.register()
