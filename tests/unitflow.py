"""Helpers and fixtures for the unit-workflow tests (issue 4). Projects are created with the
ORM in the state a test needs, not through the submission services."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import Role, UserFactory, grant, make_project, open_stage, participation
from wuxiao.projects.models import AdvisorAssignment

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%test\n"


def png(name="seal.png", data=PNG):
    return SimpleUploadedFile(name, data, content_type="image/png")


def make_advisor(unit, name="覃工"):
    user = UserFactory(real_name=name)
    grant(user, unit, Role.ADVISOR)
    return user


def assign(project, *advisors):
    for a in advisors:
        AdvisorAssignment.objects.create(project=project, advisor=a, assigned_by=a)


@pytest.fixture
def advisors(unit_a):
    return [make_advisor(unit_a, "覃工"), make_advisor(unit_a, "韦工")]


@pytest.fixture
def walt_workshop(unit_a):
    user = UserFactory(username="walt", real_name="吴车间")
    grant(user, unit_a, Role.WORKSHOP)
    return user


@pytest.fixture
def tina_tech(unit_a):
    user = UserFactory(username="tina", real_name="唐技术")
    grant(user, unit_a, Role.TECH_DEPT)
    return user


@pytest.fixture
def part_a(campaign, unit_a):
    return participation(campaign, unit_a, young_workers=150)  # quota 5


__all__ = ["PDF", "PNG", "assign", "make_advisor", "make_project", "open_stage", "png"]
