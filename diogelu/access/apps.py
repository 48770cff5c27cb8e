from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "diogelu.access"
    label = "access"
    verbose_name = "Access: involvement, restricted records and the access log"

    def ready(self) -> None:
        from diogelu.access import chain
        from diogelu.core.sweeps import register_sweep

        # Access-log rows not yet sealed into the hash chain: last, to seal what the others read.
        register_sweep("access_log_sealed", lambda now: chain.seal_backlog(), order=100)
