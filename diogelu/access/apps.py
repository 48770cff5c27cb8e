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
        from diogelu.access.alerts import alert_read_volume

        register_sweep("read_volume_alerted", alert_read_volume)
        # Then the chain's head, to a file the database role cannot write (ADR 0014).
        register_sweep("access_log_head_exported", chain.export_head_sweep, order=101)
