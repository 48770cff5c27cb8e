from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "diogelu.accounts"
    label = "accounts"
    verbose_name = "Accounts and agencies"
