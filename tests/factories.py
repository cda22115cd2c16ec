"""factory_boy factories. Organisations go through the service so their paths are right."""

from datetime import date

import factory
from django.conf import settings

from wuxiao.campaigns.models import Campaign, Participation
from wuxiao.campaigns.services import DEFAULT_CAMPAIGN_FILE, load_campaign_file
from wuxiao.people.models import Gender, Membership, Organisation, OrgKind, Role, User

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


__all__ = ["PASSWORD", "OrgKind", "Role", "UserFactory", "campaign_2024", "grant", "make_org", "participation"]
