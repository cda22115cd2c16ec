"""优秀项目案例集: a booklet of selected projects (Word and PDF), built in the background.

Cover (campaign title, year, issuing committee), table of contents, then one chapter per
project: name, unit, team, award, category and form, economic benefit, the four content
parts and the chosen pictures from its image attachments.
"""

import io
from dataclasses import dataclass, field

from django.utils import timezone
from docx.shared import Cm

from wuxiao.campaigns.models import Campaign
from wuxiao.documents import content as words
from wuxiao.documents import docx_tools as dx
from wuxiao.documents.exporters.permissions import is_committee
from wuxiao.documents.pdf import Images, html_to_document
from wuxiao.documents.queries import with_form_data
from wuxiao.documents.registry import DOCX, PDF, Exporter, Rendered, no_progress, register
from wuxiao.lib.dates import format_cn
from wuxiao.projects.queries import projects_visible_to

BOOKLET_TITLE = "优秀项目案例集"
DEFAULT_IMAGES = 2
MAX_IMAGES = 6


@dataclass
class Picture:
    data: bytes
    mime: str
    caption: str
    url: str = ""


@dataclass
class Chapter:
    number: int
    anchor: str
    name: str
    unit: str
    leader: str
    team: str
    award: str
    category: str
    form: str
    benefit: str
    parts: list[tuple[str, str]]
    pictures: list[Picture] = field(default_factory=list)

    @property
    def facts(self) -> list[tuple[str, str]]:
        return [
            ("项目单位", self.unit),
            ("项目负责人", self.leader),
            ("主要研究人员", self.team),
            ("获奖情况", self.award),
            ("项目类别", self.category),
            ("成果形式", self.form),
            ("经济效益", self.benefit),
        ]


def pictures_of(project, *, chosen: set[int] | None, limit: int) -> list[Picture]:
    pictures = []
    for attachment in project.attachments.all():
        if len(pictures) >= limit:
            break
        if chosen is not None and attachment.pk not in chosen:
            continue
        if not attachment.content_type.startswith("image/"):
            continue
        image = words.printable_image(words.read_file(attachment.file) or b"", max_px=1200)
        if image:
            caption = attachment.original_name.rsplit(".", 1)[0]
            pictures.append(Picture(image[0], image[1], caption))
    return pictures


def chapter_of(number: int, project, *, chosen, limit) -> Chapter:
    return Chapter(
        number=number,
        anchor=f"project-{project.pk}",
        name=project.name,
        unit=project.unit.name,
        leader=project.leader_name,
        team="、".join(m.name for m in project.members.all()),
        award=words.award_of(project),
        category=project.category_display,
        form=project.achievement_form,
        benefit=f"{words.money(project.economic_benefit)}万元" if project.economic_benefit is not None else "",
        parts=[(label, getattr(project, attr)) for attr, label in words.CONTENT_PARTS],
        pictures=pictures_of(project, chosen=chosen, limit=limit),
    )


class BookletExporter(Exporter):
    """obj: the campaign. params: campaign, projects (ids, in booklet order), images_per_project
    (0–6, default 2), attachments (ids of the pictures to use, optional: default the first ones)."""

    background = True

    def may_export(self, user, obj) -> bool:
        return is_committee(user)

    def load(self, params):
        return Campaign.objects.get(pk=params["campaign"])

    def chapters(self, campaign, *, user, params, progress, share: int) -> list[Chapter]:
        ids = [int(i) for i in params.get("projects", [])]
        limit = max(0, min(MAX_IMAGES, int(params.get("images_per_project", DEFAULT_IMAGES))))
        chosen = set(map(int, params["attachments"])) if params.get("attachments") is not None else None
        projects = with_form_data(projects_visible_to(user, campaign=campaign).filter(pk__in=ids)).in_bulk()
        ordered = [projects[i] for i in ids if i in projects]
        chapters = []
        for n, project in enumerate(ordered, start=1):
            chapters.append(chapter_of(n, project, chosen=chosen, limit=limit))
            progress(share * n // max(len(ordered), 1))
        return chapters

    def cover(self, campaign) -> dict:
        return {
            "campaign": campaign.title,
            "year": f"{campaign.year}年",
            "title": BOOKLET_TITLE,
            "issuers": campaign.issuer_list,
            "date": format_cn(timezone.localdate()),
        }

    def filename(self, campaign, ext):
        return f"{BOOKLET_TITLE}-{campaign.year}.{ext}"


@register
class BookletPdf(BookletExporter):
    identifier = "booklet.pdf"
    label = "优秀项目案例集（PDF）"
    content_type = PDF

    def render(self, obj, *, user, params=None, progress=no_progress) -> Rendered:
        from django.template.loader import render_to_string

        chapters = self.chapters(obj, user=user, params=params or {}, progress=progress, share=30)
        images = Images()
        for chapter in chapters:
            for picture in chapter.pictures:
                picture.url = images.url((picture.data, picture.mime))
        html = render_to_string("documents/booklet.html", {"cover": self.cover(obj), "chapters": chapters})
        progress(35)
        document = html_to_document(html, "booklet.css", images)
        progress(90)
        content = document.write_pdf()
        progress(100)
        return Rendered(self.filename(obj, "pdf"), self.content_type, content)


@register
class BookletDocx(BookletExporter):
    identifier = "booklet.docx"
    label = "优秀项目案例集（Word）"
    content_type = DOCX

    def render(self, obj, *, user, params=None, progress=no_progress) -> Rendered:
        chapters = self.chapters(obj, user=user, params=params or {}, progress=progress, share=50)
        cover = self.cover(obj)
        doc = dx.new_document(margins_cm=(2.5, 2.5, 2.8, 2.6))
        for _ in range(5):
            dx.paragraph(doc)
        dx.paragraph(doc, cover["campaign"], align=dx.CENTER, size=18, east_asia=dx.TITLE_FONT)
        dx.paragraph(doc)
        dx.paragraph(doc, cover["title"], align=dx.CENTER, size=36, bold=True, east_asia=dx.TITLE_FONT)
        dx.paragraph(doc, cover["year"], align=dx.CENTER, size=16)
        for _ in range(10):
            dx.paragraph(doc)
        for issuer in cover["issuers"]:
            dx.paragraph(doc, issuer, align=dx.CENTER, size=15)
        dx.paragraph(doc, cover["date"], align=dx.CENTER, size=14)
        dx.page_break(doc)

        dx.paragraph(
            doc, "目　　录", align=dx.CENTER, size=18, east_asia=dx.TITLE_FONT
        ).paragraph_format.space_after = dx.Pt(12)
        toc = dx.paragraph(doc)
        # Word fills in page numbers (it asks to update fields on opening); until then the
        # cached result lists the chapters.
        dx.add_field(toc, 'TOC \\o "1-1" \\h \\z \\u', "；".join(f"{c.number}. {c.name}" for c in chapters))
        dx.update_fields_on_open(doc)

        total = max(len(chapters), 1)
        for i, chapter in enumerate(chapters, start=1):
            dx.page_break(doc)
            heading = doc.add_heading(f"{chapter.number}. {chapter.name}", level=1)
            heading.alignment = dx.CENTER
            table = dx.form_table(doc, len(chapter.facts), [3.2, 12.6])
            for r, (label, value) in enumerate(chapter.facts):
                dx.cell_text(table.cell(r, 0), label, bold=True)
                dx.cell_text(table.cell(r, 1), value, align=dx.LEFT)
            for label, text in chapter.parts:
                doc.add_heading(label, level=2)
                for line in (text or "").splitlines() or [""]:
                    dx.paragraph(doc, line, first_line_chars=2).paragraph_format.line_spacing = 1.4
            for picture in chapter.pictures:
                p = dx.paragraph(doc, align=dx.CENTER)
                p.add_run().add_picture(io.BytesIO(picture.data), width=Cm(11))
                dx.paragraph(doc, picture.caption, align=dx.CENTER, size=10.5)
            progress(50 + 45 * i // total)
        content = dx.to_bytes(doc)
        progress(100)
        return Rendered(self.filename(obj, "docx"), self.content_type, content)
