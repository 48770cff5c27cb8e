from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "diogelu.accounts"
    label = "accounts"
    verbose_name = "Accounts and agencies"

    def ready(self) -> None:
        from diogelu.accounts import dormant
        from diogelu.core.sweeps import register_sweep

        # Accounts not used for DORMANT_DAYS, after the reminders.
        register_sweep(
            "accounts_deactivated", lambda now: dormant.deactivate_dormant_accounts(now), order=90
        )
