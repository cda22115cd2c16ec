"""The words and marks of the official documents, as plain values.

The Word and the PDF 申报表 are drawn from the same `ApplicationForm`, so both carry the same
texts; the wording is the notice's (附件2, 附件3) and lives here, not in the drawing code.
"""

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import filetype
from django.utils import timezone

from wuxiao.lib.dates import age_on, format_cn
from wuxiao.projects.models import OpinionStep, Project

CHECKED, UNCHECKED = "☑", "☐"
STAMP_BLANK = "盖　章"
DATE_BLANK = "年　　月　　日"

FORM_TITLE = "{city}青年岗位科技“五小”成果申报表"
SUMMARY_TITLE = "{city}青年岗位科技“五小”成果汇总表"
CONTENT_HEADING = "项目内容（立项理由、立项内容、立项措施、立项效益）"
CONTENT_EXTRA = "（可另附纸）"
CONTENT_PARTS = (("reason", "立项理由"), ("content", "立项内容"), ("measures", "立项措施"), ("benefits", "立项效益"))
COMMITMENT_LABEL = "项目负责人\n承诺"
# The boxes' labels broken over lines as the attachment prints them.
OPINION_LABELS = {
    "workshop": "（车间/分厂/\n科室/子公司）\n意见",
    "tech_dept": "本单位技术\n部门意见",
    "league": "本单位团组织\n意见",
    "panel": "竞赛评审小组\n意见",
    "committee": "竞赛组委会\n意见",
}
COMMITMENT_LINES = (
    "项目负责人承诺如下：",
    "1、本项目成果中所填写的所有内容真实、准确。",
    "2、提供的技术文件和资料真实、可靠，技术（或理论）成果事实存在。",
    "3、提供的经济效益及社会效益数据及证明客观、真实。",
    "4、若发生与上述承诺相违背的事实，由本项目负责人承担全部法律责任。",
)
COMMITMENT_SIGN = "项目负责人签字："
SUMMARY_COLUMNS = ("序号", "单位", "项目名称", "项目主要负责人及联系方式", "创造效益（万元）", "项目类别", "自评等级")
SUMMARY_PREVIEW = "预览：以下项目尚未上报组委会，本表仅供单位内部审阅，不作为正式报送材料"
SUMMARY_NOTES = (
    "说明：1.自评等级：特等奖和一等奖标示为“A”，二等奖标示为“B”，三等奖标示为“C”；",
    "　　　2.创造效益栏必须填",
)
DEFAULT_CATEGORIES = ["机械", "化工", "电子", "通信", "建设", "医药", "仪器", "其他"]
DEFAULT_FORMS = ["小发明", "小革新", "小改造", "小设计", "小建议"]


def mark(checked: bool) -> str:
    return CHECKED if checked else UNCHECKED


def yes_no(value: bool | None) -> str:
    return {True: "是", False: "否"}.get(value, "")


def money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def short_date(value: date | None) -> str:
    return f"{value.year}.{value.month}.{value.day}" if value else ""


def local_day(value) -> date | None:
    return timezone.localdate(value) if value else None


def age_text(birth_date: date | None, on: date) -> str:
    return str(age_on(birth_date, on)) if birth_date else ""


def is_image(data: bytes) -> bool:
    kind = filetype.guess(data)
    return bool(kind and kind.mime in {"image/png", "image/jpeg", "image/gif", "image/bmp", "image/webp"})


def _too_many_pixels(img) -> bool:
    """A picture stored before uploads were limited by pixels (projects.uploads.IMAGE_MAX_PIXELS)
    is left out of the print rather than decoded: one such file would take the worker's memory."""
    from wuxiao.projects.uploads import IMAGE_MAX_PIXELS

    limit = IMAGE_MAX_PIXELS["jpg"] if img.format == "JPEG" else IMAGE_MAX_PIXELS["png"]
    return img.width * img.height > limit


def printable_image(data: bytes, *, max_px: int = 1600) -> tuple[bytes, str] | None:
    """A photo made small enough to print (a 20 MB phone picture becomes a few hundred KB),
    as PNG (keeps a stamp's transparency) or JPEG; None when it is not an image."""
    if not is_image(data):
        return None
    from PIL import Image

    try:
        opened = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:  # over twice Pillow's own limit: refused at opening
        return None
    with opened as img:
        if _too_many_pixels(img):
            return None
        img.draft("RGB", (max_px, max_px))  # JPEG: decode at a reduced scale, much faster
        img.thumbnail((max_px, max_px), Image.Resampling.BILINEAR)
        out = io.BytesIO()
        if img.mode in ("RGBA", "LA", "P"):
            img.save(out, "PNG", optimize=True)
            return out.getvalue(), "image/png"
        img.convert("RGB").save(out, "JPEG", quality=80)
        return out.getvalue(), "image/jpeg"


def stamp_image(data: bytes, *, max_px: int = 600) -> tuple[bytes, str] | None:
    """A seal as ink on paper: the paper made transparent, so the stamp lets the signature and
    date under it show and never paints a white square over a cell's border. Works for a
    scanned JPEG on (off-)white paper as for a PNG that is already transparent; the picture is
    cropped to the ink. PNG; None when it is not an image."""
    if not is_image(data):
        return None
    from PIL import Image, ImageChops, ImageOps

    try:
        opened = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:  # over twice Pillow's own limit: refused at opening
        return None
    with opened as img:
        if _too_many_pixels(img):
            return None
        img.draft("RGB", (max_px, max_px))
        img = ImageOps.exif_transpose(img)
        img.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
        rgba = img.convert("RGBA")
    r, g, b, alpha = rgba.split()
    # How far a pixel is from white (its darkest channel), doubled so ink is opaque; paper
    # and scanner noise (within ~20 of white) become fully transparent.
    ink = ImageOps.invert(ImageChops.darker(r, ImageChops.darker(g, b))).point(
        lambda v: 0 if v < 24 else min(255, v * 2)
    )
    rgba.putalpha(ImageChops.multiply(alpha, ink))
    box = rgba.getchannel("A").getbbox()
    if box:
        rgba = rgba.crop(box)
    out = io.BytesIO()
    rgba.save(out, "PNG", optimize=True)
    return out.getvalue(), "image/png"


def read_file(field_file) -> bytes | None:
    if not field_file:
        return None
    try:
        with field_file.open("rb") as f:
            return f.read()
    except (OSError, ValueError):
        return None


@dataclass
class Member:
    name: str
    gender: str
    age: str
    education: str


@dataclass
class OpinionBox:
    label: str
    text: str = ""
    signer: str = ""
    date: str = ""
    stamp: tuple[bytes, str] | None = None

    @property
    def filled(self) -> bool:
        return bool(self.text or self.signer)


@dataclass
class ApplicationForm:
    attachment_label: str
    title: str
    filler: str
    filled_on: str
    name: str
    unit: str
    benefit: str
    period: str
    patent_eligible: str
    leader_name: str
    leader_gender: str
    leader_age: str
    leader_education: str
    leader_phone: str
    members: list[Member]
    categories: list[tuple[str, str]]
    category_other: str
    forms: list[tuple[str, str]]
    patent_filed: list[tuple[str, str]]
    patent_willing: list[tuple[str, str]]
    content_parts: list[tuple[str, str]]
    commitment_name: str
    commitment_date: str
    opinions: list[OpinionBox] = field(default_factory=list)

    @property
    def filename_stem(self) -> str:
        return f"申报表-{safe_filename(self.name or '未命名项目')}"


def safe_filename(text: str) -> str:
    return "".join("_" if c in '\\/:*?"<>|\r\n\t' else c for c in text).strip()[:80] or "文件"


def latest_opinions(project: Project) -> dict[str, object]:
    """The last recorded opinion of each step (a box holds one); uses the prefetched list."""
    latest = {}
    for opinion in sorted(project.opinions.all(), key=lambda o: (o.created_at, o.id)):
        latest[opinion.step] = opinion
    return latest


def application_form(project: Project) -> ApplicationForm:
    """附件2 for a project, every value as the form prints it. Ages are full years at the
    campaign's reference date; the leader's phone is printed in full (the form asks for it)."""
    campaign = project.campaign
    on = campaign.reference_date
    categories = campaign.categories or DEFAULT_CATEGORIES
    forms = campaign.achievement_forms or DEFAULT_FORMS
    opinions = latest_opinions(project)
    boxes = []
    for step in OpinionStep:
        opinion = opinions.get(step.value)
        if opinion is None:
            boxes.append(OpinionBox(label=OPINION_LABELS[step.value]))
            continue
        stamp_bytes = read_file(opinion.stamp.file) if opinion.stamp else None
        boxes.append(
            OpinionBox(
                label=OPINION_LABELS[step.value],
                text=opinion.text,
                signer=opinion.signer_name,
                date=format_cn(opinion.signed_on),
                stamp=stamp_image(stamp_bytes) if stamp_bytes else None,
            )
        )
    period = ""
    if project.start_date or project.end_date:
        period = f"{short_date(project.start_date)}—{short_date(project.end_date)}"
    return ApplicationForm(
        attachment_label="附件2",
        title=FORM_TITLE.format(city=campaign.city),
        filler=project.created_by.display_name if project.created_by_id else "",
        filled_on=format_cn(local_day(project.submitted_at)),
        name=project.name,
        unit=project.unit.employer,
        benefit=f"{money(project.economic_benefit)}万元" if project.economic_benefit is not None else "",
        period=period,
        patent_eligible=yes_no(project.patent_eligible),
        leader_name=project.leader_name,
        leader_gender=project.get_leader_gender_display(),
        leader_age=age_text(project.leader_birth_date, on),
        leader_education=project.get_leader_education_display(),
        leader_phone=project.leader_phone,
        members=[
            Member(m.name, m.get_gender_display(), age_text(m.birth_date, on), m.get_education_display())
            for m in project.members.all()
        ],
        categories=[(mark(project.category == c), c) for c in categories],
        category_other=project.category_other if project.category == "其他" else "",
        forms=[(mark(project.achievement_form == f), f) for f in forms],
        patent_filed=[(mark(project.patent_filed is True), "是"), (mark(project.patent_filed is False), "否")],
        patent_willing=[(mark(project.patent_willing is True), "是"), (mark(project.patent_willing is False), "否")],
        content_parts=[(label, getattr(project, attr)) for attr, label in CONTENT_PARTS],
        commitment_name=project.commitment_name,
        commitment_date=format_cn(local_day(project.commitment_at)),
        opinions=boxes,
    )


@dataclass
class SummaryRow:
    """One line of the 汇总表 (附件3): the Excel sheet and the console's preview both print these."""

    number: int
    unit: str
    name: str
    leader: str
    phone: str
    benefit: Decimal | None
    category: str
    grade: str

    @property
    def leader_and_phone(self) -> str:
        """项目主要负责人及联系方式: the name, the full phone below it (the form asks for it)."""
        return "\n".join(part for part in (self.leader, self.phone) if part)


def summary_rows(projects) -> list[SummaryRow]:
    """The rows of a 汇总表, numbered from 1. 单位 is the employer, not its league organisation;
    the leader's name and phone are the form's (both required before a project is submitted)."""
    rows = []
    for number, p in enumerate(projects, start=1):
        rows.append(
            SummaryRow(
                number=number,
                unit=p.unit.employer,
                name=p.name,
                leader=p.leader_name,
                phone=p.leader_phone,
                benefit=p.economic_benefit,
                category=p.category_display,
                grade=p.self_grade,
            )
        )
    return rows
