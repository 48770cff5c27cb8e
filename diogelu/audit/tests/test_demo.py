"""The demo's completed monthly programme: 32 files, moderated, with actions and evidence."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from diogelu.accounts.models import User
from diogelu.audit.models import (
    Audit,
    AuditAction,
    AuditStatus,
    EvidenceLink,
    ModeratedGrade,
    Programme,
    ProgrammeStatus,
)
from diogelu.demo.loader import load_demo


@pytest.mark.django_db
def test_demo_programme(client: Any) -> None:
    load_demo(households=12)
    programme = Programme.objects.get()
    assert programme.status == ProgrammeStatus.COMPLETE and programme.seed is not None
    audits = Audit.objects.filter(programme=programme)
    assert audits.count() == 32
    assert not audits.filter(status__in=[AuditStatus.ASSIGNED, AuditStatus.IN_PROGRESS]).exists()
    assert audits.filter(status=AuditStatus.MODERATED).count() == 8
    assert any(g.changed for g in ModeratedGrade.objects.all())
    assert AuditAction.objects.exists() and EvidenceLink.objects.count() == 1
    # Nobody audits a file they hold.
    assert not audits.filter(auditor_id__isnull=True).exists()
    assert all(a.auditor_id != a.worker_id for a in audits)
    head = User.objects.get(username="head.of.service")
    client.force_login(head)
    page = client.get(reverse("audit_report", args=[programme.pk]))
    assert page.status_code == 200 and "moderated grades were changed" in page.content.decode()
    load_demo(households=12)
    assert Programme.objects.count() == 1
