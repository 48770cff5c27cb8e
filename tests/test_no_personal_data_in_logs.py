"""Canary: a distinctive name and NHS number never reach the application logs."""

from __future__ import annotations

import logging

from django.test import Client
from django.urls import reverse

from tests import factories as f

CANARY = "Canaryxqz"


def test_reads_searches_and_failures_log_no_personal_data(world, caplog):
    child = f.person(
        world.authority, given_name=CANARY, family_name="Prydderch", nhs_number="9990000026"
    )
    caplog.set_level(logging.INFO)
    client = world.client_for(world.social_worker)
    client.get(reverse("show_person", args=[child.pk]))
    client.post(reverse("search_people"), {"name": CANARY})
    client.post(reverse("search_people"), {"nhs_number": "9990000026"})
    world.client_for(world.police_officer).get(reverse("show_person", args=[child.pk]))  # 404
    Client().post(reverse("sign_in"), {"username": CANARY, "password": "wrong-password-1"})
    api = Client(HTTP_AUTHORIZATION=f"Bearer {f.token(world.social_worker)}")
    api.post("/api/v1/people/search/", {"name": CANARY}, content_type="application/json")
    api.post(
        "/api/v1/people/search/", {"nhs_number": "9990000027"}, content_type="application/json"
    )
    text = "\n".join(r.getMessage() + " " + str(r.args) for r in caplog.records)
    assert CANARY not in text
    assert "9990000026" not in text
    assert "9990000027" not in text
