"""An alert to the information governance lead when one user reads an unusual number of records.

A sweep (registered as ``read_volume_alerted``, run by the tick) rather than a check at read time:
reads stay as fast as they are, and the access log it counts is the record of every read anyway.
See docs/adr/0411-read-volume-alert-as-a-sweep.md.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext_noop

from diogelu.access.models import AccessLog, ReadVolumeAlert
from diogelu.accounts.models import Agency, Role, User
from diogelu.core.texts import msg
from diogelu.notifications import services as notifications
from diogelu.notifications.models import Kind

WINDOW = datetime.timedelta(hours=1)


def alert_read_volume(now: datetime.datetime) -> int:
    """Raise an alert for each (user, authority) whose distinct people read in the hour up to
    ``now`` exceed the threshold, unless an alert already covers part of that hour. Idempotent."""
    threshold = int(settings.READ_VOLUME_ALERT_THRESHOLD)
    if threshold <= 0:
        return 0
    since = now - WINDOW
    rows = (
        AccessLog.objects.filter(at__gt=since, at__lte=now)
        .values("user_id", "person__authority_id")
        .annotate(records=Count("person_id", distinct=True))
        .filter(records__gt=threshold)
        .order_by("user_id", "person__authority_id")
    )
    raised = 0
    for row in rows:
        raised += _raise(row["user_id"], row["person__authority_id"], row["records"], since, now)
    return raised


@transaction.atomic
def _raise(
    user_id: int, authority_id: int, records: int, since: datetime.datetime, now: datetime.datetime
) -> int:
    covered = ReadVolumeAlert.objects.select_for_update().filter(
        user_id=user_id, authority_id=authority_id, window_end__gt=since
    )
    if covered.exists():
        return 0
    threshold = int(settings.READ_VOLUME_ALERT_THRESHOLD)
    alert = ReadVolumeAlert.objects.create(
        user_id=user_id,
        authority_id=authority_id,
        window_start=since,
        window_end=now,
        records_read=records,
        threshold=threshold,
    )
    reader = User.objects.select_related("agency").get(pk=user_id)
    authority = Agency.objects.get(pk=authority_id)
    notifications.enqueue(
        kind=Kind.READ_VOLUME,
        dedupe_key=f"read-volume:{alert.pk}",
        subject="",
        subject_key=gettext_noop("Unusual number of records read"),
        body=msg(
            gettext_noop(
                "%(user)s (%(agency)s) read %(count)s children's records in an hour. The alert is "
                "raised above %(threshold)s. Check their access log."
            ),
            user=reader.get_full_name() or reader.username,
            agency=reader.agency.name if reader.agency else "",
            count=records,
            threshold=threshold,
        ),
        link="/emergency-access/review/",
        agency=authority,
        roles=[Role.IG_LEAD],
    )
    return 1
