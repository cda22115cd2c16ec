"""The first account of a production site: an admin of the committee office, who then invites
everybody else from the console. The password is asked for (or read from
WUXIAO_ADMIN_PASSWORD for scripts) and must pass the password policy."""

import getpass
import os

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from wuxiao.people.models import Organisation, OrgKind, Role, User
from wuxiao.people.services import grant_role


class Command(BaseCommand):
    help = "Create (or promote) an admin of the committee office. Run `manage.py load_campaign` first."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--real-name", default="", help="例如：莫飘")
        parser.add_argument("--mobile", default=None, help="例如：13877212345")
        parser.add_argument("--email", default="")

    def handle(self, username, real_name, mobile, email, **options):
        committee = Organisation.objects.filter(kind=OrgKind.COMMITTEE, parent=None).first()
        if committee is None:
            raise CommandError("还没有组委会组织：请先运行 manage.py load_campaign")
        user = User.objects.filter(username__iexact=username).first()
        with transaction.atomic():
            if user is None:
                user = User(username=username, real_name=real_name, mobile=mobile or None, email=email)
                password = self._password(user)
                user.set_password(password)
                try:
                    user.full_clean(exclude=["password"])
                except ValidationError as exc:
                    raise CommandError("；".join(exc.messages)) from exc
                user.save()
            grant_role(by=None, user=user, organisation=committee, role=Role.ADMIN)
        self.stdout.write(f"{user.username} 现为“{committee.name}”的团组织管理员")

    def _password(self, user) -> str:
        password = os.environ.get("WUXIAO_ADMIN_PASSWORD")
        if password is None:
            password = getpass.getpass("密码：")
            if getpass.getpass("确认密码：") != password:
                raise CommandError("两次输入的密码不一致")
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        return password
