"""factory_boy factories. Organisations go through the service so their paths are right."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from wuxiao.campaigns.models import Campaign, Participation
from wuxiao.campaigns.services import DEFAULT_CAMPAIGN_FILE, load_campaign_file, stages_changed
from wuxiao.people.models import Gender, Membership, Organisation, OrgKind, Role, User
from wuxiao.projects.models import Attachment, FilePurpose, Project, StoredFile
from wuxiao.projects.states import ProjectState

PASSWORD = settings.WUXIAO_DEMO_PASSWORD


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Sequence(lambda n: f"测试用户{n}")
    gender = Gender.MALE
    birth_date = date(1995, 6, 1)
    education = "bachelor"
    mobile = factory.Sequence(lambda n: f"138{n:08d}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def make_org(name, kind, parent=None, **fields) -> Organisation:
    from wuxiao.people.services import create_organisation

    return create_organisation(by=None, name=name, kind=kind, parent=parent, **fields)


def grant(user, org, role=Role.ADMIN) -> Membership:
    return Membership.objects.create(user=user, organisation=org, role=role)


def campaign_2024() -> Campaign:
    return load_campaign_file(DEFAULT_CAMPAIGN_FILE)


def participation(campaign, org, young_workers=100) -> Participation:
    return Participation.objects.create(campaign=campaign, organisation=org, young_workers=young_workers)


def open_stage(campaign, kind="registration", *, days_before=10, days_after=10) -> None:
    """Open one stage of the campaign around today (the others keep their dates)."""
    today = timezone.localdate()
    campaign.stages.filter(kind=kind).update(
        starts_on=today - timedelta(days=days_before), ends_on=today + timedelta(days=days_after)
    )
    stages_changed(campaign)  # update() sends no signal


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project written with the ORM in the state a test needs (not through the services):
    `ProjectFactory(campaign=c, unit=u, leader=carol, forwarded=True)`. Traits set the state
    and what that state implies (submission time, level, grade, forwarding)."""

    class Meta:
        model = Project

    class Params:
        submitted = factory.Trait(state=ProjectState.SUBMITTED)
        accepted = factory.Trait(state=ProjectState.ACCEPTED, level="general")
        key = factory.Trait(level="key")
        unit_approved = factory.Trait(state=ProjectState.UNIT_APPROVED, level="key", self_grade="A")
        forwarded = factory.Trait(
            state=ProjectState.FORWARDED,
            level="key",
            self_grade="A",
            forwarded_at=factory.LazyFunction(timezone.now),
        )

    leader = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("leader")
    state = ProjectState.DRAFT
    name = factory.Sequence(lambda n: f"数控车床自动送料装置改进{n}")
    category = "机械"
    economic_benefit = Decimal("12.50")
    leader_name = factory.LazyAttribute(lambda p: p.leader.real_name)
    leader_phone = "13877212345"
    submitted_at = factory.LazyAttribute(lambda p: None if p.state == ProjectState.DRAFT else timezone.now())


def make_project(campaign, unit, leader, state=ProjectState.SUBMITTED, **fields) -> Project:
    """The one shortcut: a project of `leader` in `unit`, in `state` (submitted by default)."""
    return ProjectFactory(campaign=campaign, unit=unit, leader=leader, state=state, **fields)


__all__ = [
    "PASSWORD",
    "OrgKind",
    "ProjectFactory",
    "Role",
    "UserFactory",
    "campaign_2024",
    "grant",
    "make_org",
    "make_project",
    "open_stage",
    "participation",
]


def stored_file(project, purpose, name, data: bytes, content_type, by) -> StoredFile:
    """A file as the upload services store it (generated storage name, safe display name)."""
    stored = StoredFile(
        project=project, purpose=purpose, name=name, content_type=content_type, size=len(data), uploaded_by=by
    )
    stored.file.save(
        f"{name.rsplit('.', 1)[0].encode().hex()}.{name.rsplit('.', 1)[-1]}", ContentFile(data), save=False
    )
    stored.save()
    return stored


def attachment(project, name, data=b"%PDF-1.4\n%test\n", content_type="application/pdf", by=None) -> Attachment:
    """An 附件 of the 申报表, stored as the upload service stores it."""
    stored = stored_file(project, FilePurpose.ATTACHMENT, name, data, content_type, by or project.leader)
    return Attachment.objects.create(project=project, stored=stored)
