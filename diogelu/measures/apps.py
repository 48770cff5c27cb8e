from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "diogelu.measures"
    label = "measures"
    verbose_name = "Performance measures, the improvement plan and the report to Cabinet"

    def ready(self) -> None:
        from diogelu.core.extensions import register_nav_item
        from diogelu.core.sweeps import register_sweep
        from diogelu.measures.access import nav_items
        from diogelu.measures.compute import warm

        register_sweep("measures.warm", warm)
        register_nav_item(nav_items)
