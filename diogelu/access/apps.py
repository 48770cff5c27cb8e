from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "diogelu.access"
    label = "access"
    verbose_name = "Access: involvement, restricted records and the access log"

    def ready(self) -> None:
        from diogelu.access import chain
        from diogelu.access.alerts import alert_read_volume
        from diogelu.core.sweeps import register_sweep

        # One user reading an unusual number of records in an hour (docs/adr/0411).
        register_sweep("read_volume_alerted", alert_read_volume)
        # Access-log rows not yet sealed into the hash chain: last, to seal what the others read.
        register_sweep("access_log_sealed", lambda now: chain.seal_backlog(), order=100)
