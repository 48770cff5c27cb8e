"""``GET /metrics``: operational gauges in Prometheus text format, for the monitoring network.

Counts only (never ids, names or other personal data), across the whole service. Off unless
``METRICS_TOKEN`` is set; then the scraper sends ``Authorization: Bearer <METRICS_TOKEN>``, and
anything else is answered 404 like an unknown page. Every query is an index range or a count over
an indexed condition; none grows with the access log (its backlog is the rows above the chain's
sealed head).
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

Sample = tuple[str, str, float]  # name, help, value


def _outbox(now: datetime) -> Iterable[Sample]:
    from diogelu.notifications.models import OutboxMessage

    pending = OutboxMessage.objects.filter(delivered_at__isnull=True)
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    yield ("diogelu_outbox_pending", "Notifications not yet delivered", pending.count())
    yield (
        "diogelu_outbox_oldest_pending_seconds",
        "Age of the oldest undelivered notification (outbox lag)",
        (now - oldest).total_seconds() if oldest else 0.0,
    )


def _overdue(now: datetime) -> Iterable[Sample]:
    from diogelu.referrals.models import Report, ReportStatus
    from diogelu.sharing.models import InformationRequest, OutcomeNotification, RequestStatus

    yield (
        "diogelu_information_requests_overdue",
        "MASH information requests open past their due time",
        InformationRequest.objects.filter(status=RequestStatus.OPEN, due_at__lt=now).count(),
    )
    yield (
        "diogelu_report_decisions_overdue",
        "Reports received and not decided by their due time",
        Report.objects.filter(
            status__in=[ReportStatus.SUBMITTED, ReportStatus.IN_MASH], decision_due_at__lt=now
        ).count(),
    )
    yield (
        "diogelu_outcomes_unacknowledged_overdue",
        "Outcomes shared and not acknowledged by their due time",
        OutcomeNotification.objects.filter(
            acknowledged_at__isnull=True, acknowledge_by__lt=now
        ).count(),
    )


def _access_log() -> Iterable[Sample]:
    from diogelu.access.models import AccessLog, AccessLogSeal

    head = AccessLogSeal.objects.order_by("-id").values_list("log_id", flat=True).first() or 0
    yield (
        "diogelu_access_log_unsealed_above_head",
        "Access-log rows newer than the last sealed row (sealing backlog)",
        AccessLog.objects.filter(id__gt=head).count(),
    )


def _queues() -> Iterable[Sample]:
    if not settings.REDIS_URL:
        return
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    yield (
        "diogelu_celery_queue_length",
        "Tasks waiting in the Celery queue",
        client.llen("celery"),
    )


def render(samples: Iterable[Sample]) -> str:
    lines: list[str] = []
    for name, help_text, value in samples:
        lines.append(f"# HELP {name} {help_text}")
        lines.append(f"# TYPE {name} gauge")
        lines.append(f"{name} {float(value):g}")
    return "\n".join(lines) + "\n"


def metrics_view(request: HttpRequest) -> HttpResponse:
    token = settings.METRICS_TOKEN
    sent = request.headers.get("Authorization", "")
    if not token or not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        raise Http404
    now = timezone.now()
    from diogelu.core.rowscope import system_scope

    # Counts across every authority: a named system scope past row-level security (ADR 0751).
    with system_scope("metrics"):
        samples: list[Sample] = [*_outbox(now), *_overdue(now), *_access_log()]
    try:
        samples.extend(_queues())
    except Exception:
        samples.append(("diogelu_celery_queue_up", "Redis answered the metrics scrape", 0.0))
    return HttpResponse(render(samples), content_type="text/plain; version=0.0.4")
