from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "diogelu.audit"
    label = "audit"
    verbose_name = "Case-file audit and moderation"

    def ready(self) -> None:
        from diogelu.audit import hooks
        from diogelu.core.extensions import register_my_work_section, register_nav_item
        from diogelu.core.sweeps import register_sweep

        register_nav_item(hooks.nav_items)
        register_my_work_section(hooks.my_work_section)
        register_sweep("audit_actions_overdue", hooks.flag_overdue_actions)
