from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "diogelu.notifications"
    label = "notifications"
    verbose_name = "Notifications: outbox, inbox, reminders"
