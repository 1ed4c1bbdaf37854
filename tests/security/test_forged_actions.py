"""Admin actions posted with a forged selection answer 400 on every list of ours, never 500."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LISTS = [
    ("blog", "article", "publish"),
    ("blog", "category", "delete_selected"),
    ("taggit", "tag", "merge"),
    ("blog", "authorprofile", "delete_selected"),
    ("auth", "user", "delete_selected"),
    ("flatpages", "flatpage", "delete_selected"),
    ("django_comments_xtd", "xtdcomment", "approve"),
    ("comments", "moderationpolicy", "delete_selected"),
    ("medialib", "mediaimage", "delete_selected"),
]


@pytest.fixture
def superuser_client():
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("selected", ["", "x", "9" * 30])
@pytest.mark.parametrize(("app_label", "model", "action"), LISTS)
def test_a_forged_selection_is_a_bad_request(superuser_client, app_label, model, action, selected):
    url = reverse(f"admin:{app_label}_{model}_changelist")
    response = superuser_client.post(url, {"action": action, ACTION_CHECKBOX_NAME: [selected]})
    assert response.status_code == 400
