from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "diogelu.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from diogelu.notifications.access import register_child_namer
        from diogelu.people.inbox import children_named

        register_child_namer(children_named)
