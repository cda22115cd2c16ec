import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_home_shows_current_campaign(client, campaign):
    response = client.get(reverse("showcase:home"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "2024年柳州市青年岗位科技“五小”竞赛活动" in text
    assert "勇于求变、敢于求新、善于求质" in text
    assert "0772-2827423" in text
    assert "lztswcsb@163.com" in text
    assert "赖欢欢" in text  # 附件1, last member


@pytest.mark.django_db
def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
