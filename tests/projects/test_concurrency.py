"""Two stale saves, two double-clicked submits at the same moment: exactly one wins.

Runs on PostgreSQL (SELECT … FOR UPDATE); skipped on SQLite, which serialises writers."""

import threading

import pytest
from django.db import connection

from tests.factories import open_stage
from tests.projects.conftest import VALID
from wuxiao.projects import services
from wuxiao.projects.models import Project, ProjectVersion
from wuxiao.projects.transitions import StaleVersion


def race(n, work):
    barrier = threading.Barrier(n)
    outcomes = []
    lock = threading.Lock()

    def run(i):
        try:
            barrier.wait()
            result = work(i)
            with lock:
                outcomes.append(("ok", result))
        except StaleVersion as exc:
            with lock:
                outcomes.append(("stale", exc.messages[0]))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_stale_saves_cannot_both_win(on_postgres, campaign, carol_applicant):
    project = services.create_project(campaign=campaign, leader=carol_applicant)
    names = ["标签页甲的名称", "标签页乙的名称", "标签页丙的名称", "标签页丁的名称"]

    def save(i):
        p = Project.objects.get(pk=project.pk)
        return services.save_draft(project=p, data={"name": names[i]}, by=carol_applicant, expected_version=1).name

    outcomes = race(len(names), save)
    winners = [r for kind, r in outcomes if kind == "ok"]
    assert len(winners) == 1
    assert sorted(kind for kind, _ in outcomes) == ["ok", "stale", "stale", "stale"]
    project.refresh_from_db()
    assert (project.name, project.version) == (winners[0], 2)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submits_create_one_submission(on_postgres, campaign, carol_applicant):
    open_stage(campaign)
    project = services.create_project(campaign=campaign, leader=carol_applicant)
    project = services.save_draft(
        project=project, data={**VALID, "commitment_name": "蔡柔"}, by=carol_applicant, expected_version=1
    )
    version = project.version

    def submit(_):
        p = Project.objects.get(pk=project.pk)
        return services.submit_project(project=p, by=carol_applicant, expected_version=version).state

    outcomes = race(5, submit)
    assert sorted(kind for kind, _ in outcomes) == ["ok", "stale", "stale", "stale", "stale"]
    assert ProjectVersion.objects.filter(project=project).count() == 1
    assert project.events.filter(to_state="submitted").count() == 1
