from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "diogelu.people"
    label = "people"
    verbose_name = "People"
