"""The demo city: fictional units and people, built through the services the UI uses.

`build_demo()` is the whole recipe; each step is a plain function over a `DemoCity` so later
issues extend it (projects, reviews, awards) by adding a step after `build_people()`:

    city = build_demo(stage="collection")      # or, inside an extension:
    build_projects(city, rng=city.rng)        #   appends what it creates to city.users/...

Everything is drawn from one seeded random generator, so two runs on the same day give the
same city (stable screenshots). Ages are relative to the demo campaign's reference date, so
the applicants stay eligible whatever year a newcomer runs it.
"""

import math
import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wuxiao.audit.models import AuditEntry
from wuxiao.audit.services import record, snapshot
from wuxiao.campaigns.models import Campaign, CommitteeMember, Stage, StageExtension, StageKind
from wuxiao.campaigns.services import (
    DEFAULT_CAMPAIGN_FILE,
    committee_organisation,
    load_campaign_file,
    set_headcount,
    shift_stages,
)
from wuxiao.demo import names
from wuxiao.lib.ids import credit_code_check_char
from wuxiao.notifications import messages
from wuxiao.people.models import Education, Gender, Invitation, Membership, Organisation, OrgKind, Role, User
from wuxiao.people.services import create_organisation, grant_role

SEED = 2024
BASE_CAMPAIGN_SLUG = "liuzhou-2024"
DEMO_CAMPAIGN_SLUG = "demo-current"
DEMO_TITLE = "{year}年柳州市青年岗位科技“五小”竞赛活动（演示）"
MANIFEST_ACTION = "demo.build"
STAGE_CHOICES = [kind.value for kind in StageKind]
DEFAULT_STAGE = StageKind.REGISTRATION.value

DEMO_DISTRICT = "城中区团委"
EXPERT_DISTRICT = "鱼峰区团委"
DEMO_UNIT = "柳州市华鼎机械制造有限公司团委"

# Projects: the current campaign's (before `--scale`), and the 2024 campaign's history.
PROJECTS = 600
HISTORY_PROJECTS = 150
# How far the current campaign's projects have gone when today falls in a stage
# (advance_demo_projects' `until`; None: all the way to forwarding).
ADVANCE_UNTIL = {
    StageKind.LAUNCH.value: "registration",
    StageKind.REGISTRATION.value: "registration",
    StageKind.WORK.value: "work",
}
APPLICANT_SEED = 11  # gives the `applicant` account a draft and a submitted project

# Full scale: units generated below the districts (the demo unit included; the universities
# loaded with the campaign come on top) and people in all.
UNITS = 40
PEOPLE = 300


@dataclass(frozen=True)
class DemoAccount:
    username: str
    real_name: str
    gender: str
    age: int  # full years at the demo campaign's reference date
    education: str
    mobile: str


DEMO_ACCOUNTS = {
    "committee": DemoAccount("committee", "覃雅琴", Gender.FEMALE, 32, Education.MASTER, "13977200101"),
    "district": DemoAccount("district", "蓝海燕", Gender.FEMALE, 34, Education.BACHELOR, "13977200102"),
    "unit": DemoAccount("unit", "覃志强", Gender.MALE, 33, Education.BACHELOR, "13977200103"),
    "applicant": DemoAccount("applicant", "韦晓明", Gender.MALE, 30, Education.BACHELOR, "13977200104"),
    "advisor": DemoAccount("advisor", "梁建国", Gender.MALE, 42, Education.BACHELOR, "13977200105"),
    "expert": DemoAccount("expert", "潘立新", Gender.MALE, 50, Education.MASTER, "13977200106"),
}

# Units generated under each district/system body: (kind, the pool their names come from).
_E, _A, _T, _F = "enterprise", "agency", "two_new", "finance"
UNIT_PLAN = {
    "城中区团委": [_E, _E, _A, _T],  # plus the demo unit
    "鱼峰区团委": [_E, _E, _A, _T],
    "柳南区团委": [_E, _E, _E, _T],
    "柳北区团委": [_E, _E, _E, _A],
    "柳江区团委": [_E, _E, _A],
    "柳城县团委": [_E],
    "鹿寨县团委": [_E, _A],
    "融安县团委": [_E],
    "融水苗族自治县团委": [_A],
    "三江侗族自治县团委": [_T],
    "市直机关团工委": [_A, _A, _A, _A],
    "柳东新区团工委": [_E, _E, _E, _E],
    "阳和工业新区（北部生态新区）团工委": [_E, _E],
    "金融团工委": [_F, _F],
    "非公企业团工委": [_T, _T],
}
_POOLS = {
    _E: (OrgKind.ENTERPRISE, names.ENTERPRISE_INDUSTRIES, (40, 2600)),
    _A: (OrgKind.AGENCY, names.AGENCY_TYPES, (20, 400)),
    _T: (OrgKind.TWO_NEW, names.TWO_NEW_TYPES, (10, 150)),
    _F: (OrgKind.ENTERPRISE, names.FINANCE_TYPES, (30, 220)),
}
_UNIVERSITY_HEADCOUNTS = (3000, 16000)
# Administrative division codes, the 3rd–8th characters of a credit code.
_REGION_CODES = {
    "城中区团委": "450202",
    "鱼峰区团委": "450203",
    "柳南区团委": "450204",
    "柳北区团委": "450205",
    "柳江区团委": "450206",
    "柳城县团委": "450222",
    "鹿寨县团委": "450223",
    "融安县团委": "450224",
    "融水苗族自治县团委": "450225",
    "三江侗族自治县团委": "450226",
}
_COUNTY_PREFIX = {
    "柳城县团委": "柳城县",
    "鹿寨县团委": "鹿寨县",
    "融安县团委": "融安县",
    "融水苗族自治县团委": "融水苗族自治县",
    "三江侗族自治县团委": "三江侗族自治县",
}

# Education weights by role (SPEC's list, in Education's order: junior … doctor).
_EDUCATION = {
    "applicant": (3, 22, 35, 35, 5, 0),
    "applicant_agency": (0, 0, 15, 65, 20, 0),
    "applicant_two_new": (0, 15, 40, 45, 0, 0),
    "applicant_student": (0, 0, 0, 80, 18, 2),
    "admin": (0, 0, 30, 60, 10, 0),
    "office": (0, 0, 0, 70, 30, 0),
    "advisor": (0, 0, 10, 60, 25, 5),
    "advisor_university": (0, 0, 0, 0, 40, 60),
    "workshop": (0, 15, 35, 50, 0, 0),
    "tech_dept": (0, 0, 0, 60, 35, 5),
    "expert": (0, 0, 0, 30, 45, 25),
    "panel": (0, 0, 0, 0, 50, 50),
}
# Age ranges (full years at the reference date) by role.
_AGES = {
    "applicant": (21, 34),
    "applicant_student": (19, 23),
    "applicant_over_age": (36, 40),
    "admin": (26, 38),
    "office": (27, 40),
    "advisor": (28, 45),
    "workshop": (32, 50),
    "tech_dept": (30, 48),
    "expert": (38, 60),
    "panel": (45, 60),
}


@dataclass
class DemoCity:
    """What the demo built; steps read it and append what they create."""

    rng: random.Random
    today: date
    base_campaign: Campaign
    campaign: Campaign
    committee: Organisation
    districts: dict[str, Organisation]
    maker: "PersonMaker"
    accounts: dict[str, User] = field(default_factory=dict)
    units: list[Organisation] = field(default_factory=list)  # every unit of the city, universities included
    demo_unit: Organisation | None = None
    users: list[User] = field(default_factory=list)  # everyone the demo created
    organisations: list[Organisation] = field(default_factory=list)  # organisations the demo created
    admins: dict[int, User] = field(default_factory=dict)  # organisation pk → its admin

    @property
    def reference_date(self) -> date:
        return self.campaign.reference_date


class PersonMaker:
    """Makes fictional people with unique names, usernames and mobiles. One password hash
    for all of them: hashing 300 passwords one by one would take over a minute and prove nothing."""

    def __init__(self, rng: random.Random, reference: date):
        self.rng = rng
        self.reference = reference
        self.password_hash = make_password(settings.WUXIAO_DEMO_PASSWORD)
        self.usernames = {u.lower() for u in User.objects.values_list("username", flat=True)}
        self.mobiles = set(User.objects.exclude(mobile=None).values_list("mobile", flat=True))
        self.real_names = set(names.RESERVED_NAMES) | {a.real_name for a in DEMO_ACCOUNTS.values()}
        self._surnames = list(names.SURNAMES)
        self._surname_weights = [names.SURNAME_WEIGHTS.get(s, 1) for s in self._surnames]

    def name(self, gender: str) -> tuple[str, str]:
        own = names.MALE_CHARS if gender == Gender.MALE else names.FEMALE_CHARS
        pool = {**names.SHARED_CHARS, **own}
        chars = list(pool)
        while True:
            surname = self.rng.choices(self._surnames, self._surname_weights)[0]
            given = [self.rng.choice(list(own))]
            if self.rng.random() < 0.7:
                first = self.rng.choice(chars)
                if first == given[0]:
                    continue
                given.insert(0, first)
            real_name = surname + "".join(given)
            if real_name in self.real_names:
                continue
            self.real_names.add(real_name)
            return real_name, names.SURNAMES[surname] + "".join(pool[c] for c in given)

    def username(self, base: str) -> str:
        candidate, n = base, 1
        while candidate.lower() in self.usernames:
            n += 1
            candidate = f"{base}{n}"
        self.usernames.add(candidate.lower())
        return candidate

    def mobile(self) -> str:
        while True:
            number = self.rng.choice(names.MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.mobiles:
                self.mobiles.add(number)
                return number

    def birth_date(self, age_range: tuple[int, int]) -> date:
        """A birth date giving an age within the range (inclusive) at the reference date."""
        age = self.rng.randint(*age_range)
        latest = _years_before(self.reference, age)  # born on this day: exactly `age`
        return latest - timedelta(days=self.rng.randrange(365))

    def education(self, profile: str) -> str:
        return self.rng.choices(Education.values, _EDUCATION[profile])[0]

    def make(self, *, ages: str, education: str, gender: str | None = None, male_share: float = 0.55) -> User:
        gender = gender or (Gender.MALE if self.rng.random() < male_share else Gender.FEMALE)
        real_name, pinyin = self.name(gender)
        return self.save(
            username=self.username(pinyin),
            real_name=real_name,
            gender=gender,
            birth_date=self.birth_date(_AGES[ages]),
            education=self.education(education),
            mobile=self.mobile(),
        )

    def save(self, **fields) -> User:
        user = User(password=self.password_hash, **fields)
        user.full_clean(exclude=["password"])
        user.save()
        return user


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _credit_code(rng: random.Random, *, kind_code: str, region: str) -> str:
    body = kind_code + region + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + credit_code_check_char(body)


def _headcount(rng: random.Random, low: int, high: int) -> int:
    return round(math.exp(rng.uniform(math.log(low), math.log(high))))


def _league_suffix(young_workers: int) -> str:
    """Big units have a 团委, middling ones a 团总支, small ones a 团支部."""
    if young_workers >= 300:
        return "团委"
    return "团总支" if young_workers >= 80 else "团支部"


# --- the steps -------------------------------------------------------------------------


def demo_exists() -> bool:
    return (
        Campaign.objects.filter(slug=DEMO_CAMPAIGN_SLUG).exists()
        or User.objects.filter(username__in=list(DEMO_ACCOUNTS)).exists()
    )


def ensure_base_campaign() -> Campaign:
    """The 2024 campaign and the top of the tree (`manage.py load_campaign`), loaded if missing."""
    campaign = Campaign.objects.filter(slug=BASE_CAMPAIGN_SLUG).first()
    if campaign is None or committee_organisation() is None:
        campaign = load_campaign_file(DEFAULT_CAMPAIGN_FILE)
    return campaign


def build_current_campaign(base: Campaign, *, stage: str, today: date) -> Campaign:
    """A copy of `base`'s rules, stages and committee, with its dates moved so that today
    falls in `stage`; it becomes the current campaign."""
    skip = {"id", "slug", "title", "year", "is_current", "document_number", "stages_version"}
    fields = {f.name: getattr(base, f.name) for f in Campaign._meta.concrete_fields if f.name not in skip}
    campaign = Campaign.objects.create(
        slug=DEMO_CAMPAIGN_SLUG,
        title=DEMO_TITLE.format(year=today.year),
        year=today.year,
        document_number="演示活动，非正式发文",
        is_current=False,
        **fields,
    )
    Stage.objects.bulk_create(
        Stage(
            campaign=campaign,
            number=s.number,
            kind=s.kind,
            starts_on=s.starts_on,
            ends_on=s.ends_on,
            description=s.description,
        )
        for s in base.stages.all()
    )
    CommitteeMember.objects.bulk_create(
        CommitteeMember(campaign=campaign, position=m.position, name=m.name, title=m.title, order=m.order)
        for m in base.committee_members.all()
    )
    move_demo_campaign(campaign, stage=stage, today=today)
    Campaign.objects.filter(is_current=True).exclude(pk=campaign.pk).update(is_current=False)
    campaign.is_current = True
    campaign.save(update_fields=["is_current"])
    record(by=None, action="campaign.create", target=campaign, after=snapshot(campaign), note="演示数据")
    return campaign


def move_demo_campaign(campaign: Campaign, *, stage: str, today: date) -> Campaign:
    """Shift all dates (stages, start/end, age reference date) so today falls in `stage`,
    and name the campaign after the year it starts."""
    shift_stages(campaign, today=today, current_kind=stage)
    campaign.refresh_from_db()
    campaign.year = campaign.starts_on.year
    campaign.title = DEMO_TITLE.format(year=campaign.year)
    campaign.save(update_fields=["year", "title"])
    for stage_row in campaign.stages.all():  # "下发通知对2024年青年岗位科技…" names the year
        description = re.sub(r"\d{4}年(?=青年岗位)", f"{campaign.year}年", stage_row.description)
        if description != stage_row.description:
            stage_row.description = description
            stage_row.save(update_fields=["description"])
    return campaign


def build_demo_accounts(city: DemoCity) -> dict[str, User]:
    """The six accounts of the README, and the unit three of them belong to."""
    specs = DEMO_ACCOUNTS
    maker = city.maker

    def account(key: str) -> User:
        spec = specs[key]
        birth = _years_before(city.reference_date, spec.age) - timedelta(days=37 * (list(specs).index(key) + 3))
        maker.mobiles.add(spec.mobile)
        maker.usernames.add(spec.username)
        user = maker.save(
            username=spec.username,
            real_name=spec.real_name,
            gender=spec.gender,
            birth_date=birth,
            education=spec.education,
            mobile=spec.mobile,
        )
        city.users.append(user)
        return user

    committee = account("committee")
    grant_role(by=None, user=committee, organisation=city.committee, role=Role.ADMIN)
    city.admins[city.committee.pk] = committee
    district_org = city.districts[DEMO_DISTRICT]
    district = account("district")
    grant_role(by=committee, user=district, organisation=district_org, role=Role.ADMIN)
    city.admins[district_org.pk] = district

    unit_admin = account("unit")
    unit = create_organisation(
        by=committee,
        name=DEMO_UNIT,
        kind=OrgKind.ENTERPRISE,
        parent=district_org,
        credit_code=_credit_code(city.rng, kind_code="91", region=_REGION_CODES[DEMO_DISTRICT]),
        contact_name=unit_admin.real_name,
        contact_phone=unit_admin.mobile,
    )
    city.organisations.append(unit)
    city.demo_unit = unit
    grant_role(by=district, user=unit_admin, organisation=unit, role=Role.ADMIN)
    city.admins[unit.pk] = unit_admin
    # The level above sets a unit's headcount (it decides the quota).
    set_headcount(by=district, campaign=city.base_campaign, organisation=unit, young_workers=236)
    set_headcount(by=district, campaign=city.campaign, organisation=unit, young_workers=258)

    applicant = account("applicant")
    grant_role(by=unit_admin, user=applicant, organisation=unit, role=Role.APPLICANT)
    advisor = account("advisor")
    grant_role(by=unit_admin, user=advisor, organisation=unit, role=Role.ADVISOR)
    expert = account("expert")
    grant_role(by=committee, user=expert, organisation=city.districts[EXPERT_DISTRICT], role=Role.EXPERT)

    city.accounts = {
        "committee": committee,
        "district": district,
        "unit": unit_admin,
        "applicant": applicant,
        "advisor": advisor,
        "expert": expert,
    }
    for user in city.accounts.values():
        for membership in Membership.objects.filter(user=user).select_related("organisation"):
            messages.welcome(membership)
    return city.accounts


def build_city(city: DemoCity, *, count: int = UNITS) -> list[Organisation]:
    """Fictional units under the district/system bodies, each with its admin and its
    young-worker headcount in both campaigns; the universities get headcounts too."""
    rng = city.rng
    committee_admin = city.accounts["committee"]
    plan = _interleaved_plan()[: max(count - 1, 0)]  # the demo unit is one of them
    trade_names = rng.sample([t for t in names.TRADE_NAMES if t not in DEMO_UNIT], len(plan))
    units = [city.demo_unit] if city.demo_unit else []
    for (district_name, pool), trade in zip(plan, trade_names, strict=True):
        district = city.districts[district_name]
        kind, types, (low, high) = _POOLS[pool]
        industry, _category = rng.choice(types)
        young_workers = _headcount(rng, low, high)
        if district_name in _COUNTY_PREFIX:
            prefix = _COUNTY_PREFIX[district_name]
        elif pool == _E:
            prefix = rng.choices(["柳州市", "柳州", "广西"], [6, 2, 2])[0]
        else:
            prefix = "柳州" if pool == _F else "柳州市"
        name = f"{prefix}{trade}{industry}{_league_suffix(young_workers)}"
        region = _REGION_CODES.get(district_name, "450200")
        admin = city.maker.make(ages="admin", education="admin")
        city.users.append(admin)
        has_code = kind != OrgKind.UNIVERSITY and rng.random() < 0.7
        unit = create_organisation(
            by=committee_admin,
            name=name,
            kind=kind,
            parent=district,
            credit_code=_credit_code(rng, kind_code="12" if kind == OrgKind.AGENCY else "91", region=region)
            if has_code
            else "",
            contact_name=admin.real_name,
            contact_phone=f"0772-{rng.randrange(2000000, 3999999)}" if kind == OrgKind.AGENCY else admin.mobile,
            allow_parent_forwarding=rng.random() < 0.3,
        )
        city.organisations.append(unit)
        grant_role(by=city.admins.get(district.pk, committee_admin), user=admin, organisation=unit, role=Role.ADMIN)
        city.admins[unit.pk] = admin
        _set_headcounts(city, unit, young_workers, by=city.admins.get(district.pk, committee_admin))
        units.append(unit)
    for university in Organisation.objects.filter(kind=OrgKind.UNIVERSITY).order_by("path"):
        _set_headcounts(city, university, _headcount(rng, *_UNIVERSITY_HEADCOUNTS), by=committee_admin)
        units.append(university)
    city.units = units
    return units


def _interleaved_plan() -> list[tuple[str, str]]:
    """UNIT_PLAN as (district, pool) pairs, round-robin over the districts, so that a
    smaller scale still spreads its units over the city."""
    columns = [[(d, pool) for pool in pools] for d, pools in UNIT_PLAN.items()]
    out = []
    for i in range(max(len(c) for c in columns)):
        out.extend(c[i] for c in columns if i < len(c))
    return out


def _set_headcounts(city: DemoCity, unit: Organisation, young_workers: int, *, by) -> None:
    """Last year's headcount, and this year's: the same people give or take a few."""
    set_headcount(by=by, campaign=city.base_campaign, organisation=unit, young_workers=young_workers)
    this_year = max(5, round(young_workers * city.rng.uniform(0.88, 1.15)))
    set_headcount(by=by, campaign=city.campaign, organisation=unit, young_workers=this_year)


def build_people(city: DemoCity, *, total: int = PEOPLE) -> list[User]:
    """The people of the city, each in the right organisation with the right role: office
    staff and the review panel, district admins, experts, unit admins (of universities),
    advisors, opinion givers (车间/分厂, 技术部门) and, filling up to `total`, applicants."""
    rng, maker = city.rng, city.maker
    committee_admin = city.accounts["committee"]
    made: list[User] = []

    def person(org: Organisation, role: str, *, ages: str, education: str, by: User, **kw) -> User:
        user = maker.make(ages=ages, education=education, **kw)
        grant_role(by=by, user=user, organisation=org, role=role)
        made.append(user)
        return user

    scale = total / PEOPLE
    for _ in range(2):
        person(city.committee, Role.ADMIN, ages="office", education="office", by=committee_admin, male_share=0.4)
    for _ in range(max(1, round(5 * scale))):
        person(city.committee, Role.PANEL, ages="panel", education="panel", by=committee_admin)
    for district in city.districts.values():
        if district.pk not in city.admins:
            city.admins[district.pk] = person(
                district, Role.ADMIN, ages="admin", education="office", by=committee_admin, male_share=0.45
            )
    expert_orgs = list(city.districts.values()) + [u for u in city.units if u.kind == OrgKind.UNIVERSITY]
    for i in range(max(2, round(15 * scale))):
        org = expert_orgs[(i * 7) % len(expert_orgs)]
        person(org, Role.EXPERT, ages="expert", education="expert", by=committee_admin, male_share=0.7)

    applicant_slots = []
    for unit in city.units:
        student = unit.kind == OrgKind.UNIVERSITY
        admin = city.admins.get(unit.pk)
        if admin is None:
            admin = person(unit, Role.ADMIN, ages="admin", education="admin", by=committee_admin)
            city.admins[unit.pk] = admin
        headcount = unit.participations.get(campaign=city.campaign).young_workers
        advisors = 2  # a key project has two (SPEC); a small unit's second is its tech lead
        if unit == city.demo_unit:
            advisors -= 1  # the `advisor` account is the first
        advisor_profile = "advisor_university" if student else "advisor"
        first_advisor = None
        for _ in range(advisors):
            advisor = person(unit, Role.ADVISOR, ages="advisor", education=advisor_profile, by=admin, male_share=0.7)
            first_advisor = first_advisor or advisor
        if unit.kind == OrgKind.ENTERPRISE and headcount >= 200:
            person(unit, Role.WORKSHOP, ages="workshop", education="workshop", by=admin, male_share=0.7)
        if headcount >= 300 and unit.kind in (OrgKind.ENTERPRISE, OrgKind.UNIVERSITY):
            person(unit, Role.TECH_DEPT, ages="tech_dept", education="tech_dept", by=admin)
        elif first_advisor is not None:
            # A small unit's technical opinion comes from its advisor: one person, two roles.
            grant_role(by=admin, user=first_advisor, organisation=unit, role=Role.TECH_DEPT)
        # Bigger units bring more applicants, but a university's thousands of students do
        # not swamp the city; the demo unit gets enough for every screen to have rows.
        weight = math.sqrt(min(headcount, 1500)) * (3 if unit == city.demo_unit else 1)
        applicant_slots.append((unit, admin, weight))

    remaining = total - len(made) - len(city.users)
    for (unit, admin, _weight), n in zip(applicant_slots, _apportion(remaining, applicant_slots), strict=True):
        for _ in range(n):
            if unit.kind == OrgKind.UNIVERSITY:
                ages, education = "applicant_student", "applicant_student"
            else:
                ages = "applicant_over_age" if rng.random() < 0.03 else "applicant"
                education = {OrgKind.AGENCY: "applicant_agency", OrgKind.TWO_NEW: "applicant_two_new"}.get(
                    unit.kind, "applicant"
                )
            person(
                unit,
                Role.APPLICANT,
                ages=ages,
                education=education,
                by=admin,
                male_share=0.62 if unit.kind == OrgKind.ENTERPRISE else 0.48,
            )
    city.users.extend(made)
    return made


def _apportion(total: int, slots: list) -> list[int]:
    """`total` seats over the slots by weight (largest remainder), at least one each."""
    if not slots:
        return []
    spare = max(total - len(slots), 0)
    weights = [w for *_, w in slots]
    shares = [spare * w / sum(weights) for w in weights]
    seats = [1 + math.floor(s) for s in shares]
    order = sorted(range(len(slots)), key=lambda i: shares[i] - math.floor(shares[i]), reverse=True)
    for i in order[: spare - sum(seats) + len(slots)]:
        seats[i] += 1
    return seats


def build_demo_projects(city: DemoCity, *, stage: str, count: int = PROJECTS) -> dict[str, int]:
    """The current campaign's projects across the demo units, moved as far as `stage`
    allows. The `applicant` account leads two submitted projects and a half-filled draft,
    and is in the team of a colleague's draft."""
    from wuxiao.demo.projects import build_projects
    from wuxiao.demo.workflow import advance_demo_projects
    from wuxiao.projects.models import Project

    applicant, unit = city.accounts["applicant"], city.demo_unit
    own = build_projects(city.campaign, [unit], {unit: [applicant]}, count=2, seed=APPLICANT_SEED)
    _draft(city, leader=applicant, name="数控车床送料装置自动化改造", reason="送料靠人工，每班换料停机约 40 分钟。")
    others = [u for u in city.users if u.pk != applicant.pk]
    projects = build_projects(city.campaign, city.units, others, count=count, seed=city.rng.randrange(10**6))
    colleague = (
        Membership.objects.filter(organisation=unit, role=Role.APPLICANT).exclude(user=applicant).order_by("pk").first()
    )
    if colleague is not None:
        team = _draft(city, leader=colleague.user, name="装配线拧紧工位防错装置设计", reason="拧紧漏打、错打时有发生。")
        _add_member(team, applicant)
    # The applicant's own stay where they are; everyone else's move on with the stage.
    rest = Project.objects.filter(pk__in=[p.pk for p in projects]).exclude(pk__in=[p.pk for p in own])
    return advance_demo_projects(
        list(rest.select_related("unit", "campaign").order_by("pk")),
        seed=city.rng.randrange(10**6),
        until=ADVANCE_UNTIL.get(stage),
    )


def _draft(city: DemoCity, *, leader: User, name: str, reason: str):
    """A half-filled 申报表 in the demo unit, saved as its leader would."""
    from wuxiao.projects import services
    from wuxiao.projects.models import EntryRoute

    project = services.create_project(
        campaign=city.campaign, leader=leader, unit=city.demo_unit, entry_route=EntryRoute.REGISTRATION, name=name
    )
    data = {"name": name, "category": "机械", "reason": reason}
    return services.save_draft(project=project, data=data, by=leader, expected_version=project.version)


def _add_member(project, user: User) -> None:
    """`user` in the team of `project`, linked to their account (they may read it)."""
    from wuxiao.projects import services

    member = services.add_member(
        project=project,
        by=project.leader,
        name=user.real_name,
        gender=user.gender,
        birth_date=user.birth_date,
        education=user.education,
    )
    services.link_member(member=member, by=project.leader, mobile=user.mobile)


def build_history(city: DemoCity, *, count: int = HISTORY_PROJECTS) -> dict[str, int]:
    """The 2024 campaign (ended, on its real dates): a smaller, complete history in the same
    units, most key projects forwarded, so the 汇总表 and 案例集 have rows."""
    from wuxiao.demo.projects import build_projects
    from wuxiao.demo.workflow import advance_demo_projects
    from wuxiao.projects.models import Project

    base = city.base_campaign
    collection = base.stages.get(kind=StageKind.COLLECTION)
    # Not led by the demo accounts: their inboxes are about the current campaign.
    people = [u for u in city.users if u.pk not in {a.pk for a in city.accounts.values()}]
    made = build_projects(base, city.units, people, count=count, seed=city.rng.randrange(10**6))
    projects = list(
        Project.objects.filter(pk__in=[p.pk for p in made]).select_related("unit", "campaign").order_by("pk")
    )
    return advance_demo_projects(projects, seed=city.rng.randrange(10**6), today=collection.ends_on, finished=True)


def build_demo_reviews(city: DemoCity, *, stage: str) -> dict[str, int]:
    """评审认定: the expert pool, the 2024 history's complete reviews and, from stage 5 on,
    the current campaign's round with part-finished scores."""
    from wuxiao.demo.reviews import build_reviews

    return build_reviews(
        base=city.base_campaign, current=city.campaign, stage=stage, today=city.today, seed=city.rng.randrange(10**6)
    )


def build_demo_awards(city: DemoCity, *, stage: str) -> dict[str, int]:
    """奖项 and 成果推广: the 2024 history ends with published awards, 优秀组织奖, patent help and past
    salons; from stage 6 on the current campaign's results are published too."""
    from wuxiao.demo.awards import build_awards

    return build_awards(
        base=city.base_campaign, current=city.campaign, stage=stage, today=city.today, seed=city.rng.randrange(10**6)
    )


def _workflow_people(city: DemoCity, known: set[int]) -> None:
    """The stand-in advisors/opinion givers the unit workflow made, into the manifest."""
    city.users.extend(User.objects.filter(username__startswith="demo-u").exclude(pk__in=known))


def write_manifest(city: DemoCity, *, stage: str) -> AuditEntry:
    """Note what the demo created, so `--reset` removes exactly that."""
    return record(
        by=None,
        action=MANIFEST_ACTION,
        target=city.campaign,
        note=f"演示数据（当前阶段：{StageKind(stage).label}）",
        after={"users": [u.pk for u in city.users], "organisations": [o.pk for o in city.organisations]},
    )


@transaction.atomic
def build_demo(
    *, stage: str = DEFAULT_STAGE, today: date | None = None, scale: float = 1.0, seed: int = SEED
) -> DemoCity:
    """Build the whole demo. `scale` shrinks it (units and people) for fast tests."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    base = ensure_base_campaign()
    campaign = build_current_campaign(base, stage=stage, today=today)
    committee = committee_organisation()
    districts = {o.name: o for o in Organisation.objects.filter(kind=OrgKind.DISTRICT).order_by("path")}
    city = DemoCity(
        rng=rng,
        today=today,
        base_campaign=base,
        campaign=campaign,
        committee=committee,
        districts=districts,
        maker=PersonMaker(rng, campaign.reference_date),
    )
    build_demo_accounts(city)
    build_city(city, count=max(1, round(UNITS * scale)))
    build_people(city, total=max(len(city.users) + len(city.units), round(PEOPLE * scale)))
    known = set(User.objects.values_list("pk", flat=True))
    build_demo_projects(city, stage=stage, count=max(10, round(PROJECTS * scale)))
    build_history(city, count=max(5, round(HISTORY_PROJECTS * scale)))
    build_demo_reviews(city, stage=stage)
    build_demo_awards(city, stage=stage)
    _workflow_people(city, known)
    write_manifest(city, stage=stage)
    return city


@transaction.atomic
def reset_demo() -> None:
    """Remove what the demo built (as its manifest lists it), nothing else."""
    from wuxiao.projects.models import Direction, Project

    manifest = AuditEntry.objects.filter(action=MANIFEST_ACTION).order_by("-pk").first()
    after = (manifest.after if manifest else None) or {}
    user_ids = set(after.get("users", []))
    user_ids |= set(User.objects.filter(username__in=list(DEMO_ACCOUNTS)).values_list("pk", flat=True))
    org_ids = set(after.get("organisations", []))
    org_ids |= set(Organisation.objects.filter(name=DEMO_UNIT).values_list("pk", flat=True))
    campaigns = Campaign.objects.filter(slug=DEMO_CAMPAIGN_SLUG)
    from wuxiao.awards.models import AwardSheet, OrganisationAward, PatentEvent
    from wuxiao.publication.models import PublicBooklet, PublicEntry
    from wuxiao.reviews.models import DuplicateFlag, ReviewRound
    from wuxiao.salons.models import Salon

    # What the demo's committee decided (awards, salons) goes with the demo's people.
    Salon.objects.filter(Q(campaign__in=campaigns) | Q(created_by_id__in=user_ids)).delete()
    PublicEntry.objects.filter(updated_by_id__in=user_ids).delete()
    PublicBooklet.objects.filter(Q(campaign__in=campaigns) | Q(published_by_id__in=user_ids)).delete()
    PatentEvent.objects.filter(by_id__in=user_ids).delete()
    OrganisationAward.objects.filter(Q(campaign__in=campaigns) | Q(chosen_by_id__in=user_ids)).delete()
    sheets = AwardSheet.objects.filter(
        Q(campaign__in=campaigns)
        | Q(published_by_id__in=user_ids)
        | Q(locked_by_id__in=user_ids)
        | Q(awards__changes__by_id__in=user_ids)
    ).values_list("pk", flat=True)
    AwardSheet.objects.filter(pk__in=list(sheets)).delete()
    ReviewRound.objects.filter(Q(campaign__in=campaigns) | Q(created_by_id__in=user_ids)).delete()
    DuplicateFlag.objects.filter(decided_by_id__in=user_ids).delete()
    Project.objects.filter(
        Q(campaign__in=campaigns) | Q(unit_id__in=org_ids) | Q(leader_id__in=user_ids) | Q(created_by_id__in=user_ids)
    ).delete()
    Direction.objects.filter(
        Q(campaign__in=campaigns) | Q(unit_id__in=org_ids) | Q(created_by_id__in=user_ids)
    ).delete()
    Invitation.objects.filter(Q(organisation_id__in=org_ids) | Q(invited_by_id__in=user_ids)).delete()
    StageExtension.objects.filter(Q(organisation_id__in=org_ids) | Q(granted_by_id__in=user_ids)).delete()
    campaigns.delete()
    User.objects.filter(pk__in=user_ids).delete()
    for org in Organisation.objects.filter(pk__in=org_ids).order_by("-path"):  # children first
        org.delete()
    if not Campaign.objects.filter(is_current=True).exists():
        Campaign.objects.filter(slug=BASE_CAMPAIGN_SLUG).update(is_current=True)


def describe_demo(today: date | None = None) -> list[str]:
    """A short Chinese summary of the demo in the database: campaign, counts, accounts."""
    today = today or timezone.localdate()
    campaign = Campaign.objects.filter(slug=DEMO_CAMPAIGN_SLUG).first()
    lines = []
    if campaign:
        stage = campaign.stage_on(today)
        where = (
            f"今天处于“{stage.get_kind_display()}”阶段（{stage.starts_on:%Y-%m-%d} 至 {stage.ends_on:%Y-%m-%d}）"
            if stage
            else "今天不在任何阶段内"
        )
        lines.append(f"当前活动：{campaign.title}，{where}")
    manifest = AuditEntry.objects.filter(action=MANIFEST_ACTION).order_by("-pk").first()
    people = len((manifest.after or {}).get("users", [])) if manifest else 0
    units = Organisation.objects.units()
    lines.append(
        f"组织：{Organisation.objects.filter(kind=OrgKind.DISTRICT).count()} 个县区/系统团组织，"
        f"{units.count()} 个基层单位（含 {units.filter(kind=OrgKind.UNIVERSITY).count()} 所在柳高校）；"
        f"演示人员 {people} 人"
    )
    lines.append(f"演示账号（密码均为 {settings.WUXIAO_DEMO_PASSWORD}）：")
    memberships = (
        Membership.objects.filter(user__username__in=list(DEMO_ACCOUNTS))
        .select_related("user", "organisation")
        .order_by("pk")
    )
    users, roles = {}, {}
    for m in memberships:
        users[m.user.username] = m.user
        roles.setdefault(m.user.username, []).append(f"{m.organisation.name} · {m.get_role_display()}")
    for username in DEMO_ACCOUNTS:
        if username in users:
            lines.append(f"  {username:<10} {users[username].real_name}  {'；'.join(roles[username])}")
    return lines
