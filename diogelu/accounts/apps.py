from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "diogelu.accounts"
    label = "accounts"
    verbose_name = "Accounts and agencies"

    def ready(self) -> None:
        from diogelu.accounts import dormant
        from diogelu.accounts.credentials import LINK_PREFIX, expand_link
        from diogelu.core.sweeps import register_sweep
        from diogelu.notifications.delivery import register_link_expander

        # Password links get their secret only in the email (docs/adr/0412).
        register_link_expander(LINK_PREFIX, expand_link)

        # Accounts not used for DORMANT_DAYS, after the reminders.
        register_sweep(
            "accounts_deactivated", lambda now: dormant.deactivate_dormant_accounts(now), order=90
        )
