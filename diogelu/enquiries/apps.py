from django.apps import AppConfig


class EnquiriesConfig(AppConfig):
    name = "diogelu.enquiries"
    label = "enquiries"
    verbose_name = "Strategy discussions and section 47 enquiries"

    def ready(self) -> None:
        from diogelu.core.sweeps import register_sweep
        from diogelu.enquiries import reminders

        register_sweep("enquiries_reminded", lambda now: reminders.remind_enquiries_due(now))
