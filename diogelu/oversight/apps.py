from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "diogelu.oversight"
    label = "oversight"

    def ready(self) -> None:
        from diogelu.core.extensions import (
            register_my_work_section,
            register_nav_item,
            register_workflow_listener,
        )
        from diogelu.core.sweeps import register_sweep
        from diogelu.oversight import hooks, sweeps
        from diogelu.oversight.queues import my_work_section, nav_items, person_links
        from diogelu.people.sections import register_person_links

        register_sweep("oversight_unallocated_flagged", sweeps.flag_unallocated)
        register_sweep("oversight_supervision_actions", sweeps.check_supervision_actions)
        register_sweep("oversight_open_cases", sweeps.open_cases_for_started_work, order=-1)
        register_my_work_section(my_work_section)
        register_nav_item(nav_items)
        register_person_links(person_links)
        register_workflow_listener(hooks.on_workflow_event)
