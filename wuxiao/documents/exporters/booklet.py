"""优秀项目案例集: a booklet of selected projects (Word and PDF), built in the background.

Cover (campaign title, year, issuing committee), table of contents, then one chapter per
project: name, unit, team, award, category and form, economic benefit, the four content
parts and the chosen pictures from its image attachments.
"""

import io
import logging
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone
from docx.shared import Cm

from wuxiao.awards.queries import published_award_labels
from wuxiao.campaigns.models import Campaign
from wuxiao.documents import content as words
from wuxiao.documents import docx_tools as dx
from wuxiao.documents.exporters.permissions import is_committee
from wuxiao.documents.pdf import Images, html_to_document, release_memory
from wuxiao.documents.queries import with_form_data
from wuxiao.documents.registry import DOCX, PDF, Exporter, Rendered, no_progress, register
from wuxiao.lib.dates import format_cn
from wuxiao.projects.queries import projects_visible_to

logger = logging.getLogger(__name__)

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
    # The chosen image attachments; their pictures are read when the chapter is drawn (see
    # `load_pictures`), so a 200-project booklet never holds every photo at once.
    sources: list = field(default_factory=list)
    start_page: int = 0
    # 获奖情况 is printed only once results exist (see `with_awards`): before that an empty
    # column would read as "no award".
    show_award: bool = False
    # A public chapter (案例集 online) prints only the facts the committee made public: an
    # empty one was withheld (the team's names, the benefit), not forgotten.
    public: bool = False

    @property
    def facts(self) -> list[tuple[str, str]]:
        facts = [
            ("项目单位", self.unit),
            ("项目负责人", self.leader),
            ("主要研究人员", self.team),
            ("获奖情况", self.award),
            ("项目类别", self.category),
            ("成果形式", self.form),
            ("经济效益", self.benefit),
        ]
        facts = facts if self.show_award else [f for f in facts if f[0] != "获奖情况"]
        return [f for f in facts if f[1]] if self.public else facts


def with_awards(chapters: list[Chapter]) -> list[Chapter]:
    """Show 获奖情况 in every chapter once any project of the booklet has a published award."""
    shown = any(c.award for c in chapters)
    for chapter in chapters:
        chapter.show_award = shown
    return chapters


def picture_sources(project, *, chosen: set[int] | None, limit: int) -> list:
    sources = []
    for attachment in project.attachments.all():
        if len(sources) >= limit:
            break
        if chosen is not None and attachment.pk not in chosen:
            continue
        if attachment.content_type.startswith("image/"):
            sources.append(attachment)
    return sources


def load_pictures(chapter: Chapter) -> Chapter:
    """Read and scale the chapter's photos (at most 1200 px: 11 cm wide at over 250 dpi)."""
    chapter.pictures = []
    for attachment in chapter.sources:
        try:
            image = words.printable_image(words.read_file(attachment.file) or b"", max_px=1200)
        except (OSError, SyntaxError, ValueError):
            # A damaged picture (its header says PNG, its data is cut off) is left out: one
            # bad photo must not fail a 200-project booklet.
            logger.warning("booklet: attachment %s is not a readable image, left out", attachment.pk)
            continue
        if image:
            # A file's name is whatever the uploader typed (a phone number, a colleague's name):
            # the public booklet prints the picture without it.
            caption = "" if chapter.public else attachment.original_name.rsplit(".", 1)[0]
            chapter.pictures.append(Picture(image[0], image[1], caption))
    return chapter


def drop_pictures(chapters: list[Chapter]) -> None:
    for chapter in chapters:
        chapter.pictures = []


def chapter_of(number: int, project, *, chosen, limit, award: str = "") -> Chapter:
    return Chapter(
        number=number,
        anchor=f"project-{project.pk}",
        name=project.name,
        unit=project.unit.employer,
        leader=project.leader_name,
        team="、".join(m.name for m in project.members.all()),
        award=award,
        category=project.category_display,
        form=project.achievement_form,
        benefit=f"{words.money(project.economic_benefit)}万元" if project.economic_benefit is not None else "",
        parts=[(label, getattr(project, attr)) for attr, label in words.CONTENT_PARTS],
        sources=picture_sources(project, chosen=chosen, limit=limit),
    )


PUBLIC_SUMMARY = "项目简介"


def public_chapters(campaign, *, ids, limit: int) -> list[Chapter]:
    """案例集 online: chapters of the campaign's public projects only (publication.queries, the
    showcase's one source), in award order, holding only what the public pages show: the
    approved summary instead of the 申报表's four parts, the team and the benefit only when the
    committee made them public, pictures only from those it chose. `ids` narrows the booklet;
    it can never add a project that is not public."""
    from wuxiao.projects.models import Attachment
    from wuxiao.publication.queries import as_public, public_projects

    projects = public_projects(campaign)
    if ids is not None:
        projects = projects.filter(pk__in=ids)
    chapters = []
    for number, project in enumerate(projects, start=1):
        view = as_public(project, with_images=True)
        images = Attachment.objects.select_related("stored").in_bulk(view.images[:limit])
        chapters.append(
            Chapter(
                number=number,
                anchor=f"project-{view.id}",
                name=view.name,
                unit=view.unit,
                leader=view.team[0] if view.team else "",
                team="、".join(view.team[1:]),
                award=view.level_label,
                category=view.category,
                form=view.form,
                benefit=f"{words.money(view.benefit)}万元" if view.benefit is not None else "",
                parts=[(PUBLIC_SUMMARY, view.summary)],
                sources=[images[pk] for pk in view.images[:limit] if pk in images],
                public=True,
            )
        )
    return chapters


def chapter_bookmark(chapter: Chapter) -> str:
    return f"_Toc_chapter_{chapter.number}"


class BookletExporter(Exporter):
    """obj: the campaign. params: campaign, projects (ids, in booklet order), images_per_project
    (0–6, default 2), attachments (ids of the pictures to use, optional: default the first ones).
    With params["public"] the booklet is the one for 案例集 online (`public_chapters`): public
    projects and public fields only, whatever `projects` names."""

    background = True

    def may_export(self, user, obj) -> bool:
        return is_committee(user)

    def load(self, params):
        return Campaign.objects.get(pk=params["campaign"])

    def chapters(self, campaign, *, user, params, progress, share: int) -> list[Chapter]:
        limit = max(0, min(MAX_IMAGES, int(params.get("images_per_project", DEFAULT_IMAGES))))
        if params.get("public"):
            given = params.get("projects")
            chapters = public_chapters(campaign, ids=None if given is None else [int(i) for i in given], limit=limit)
            progress(share)
            return with_awards(chapters)
        ids = [int(i) for i in params.get("projects", [])]
        chosen = set(map(int, params["attachments"])) if params.get("attachments") is not None else None
        projects = with_form_data(projects_visible_to(user, campaign=campaign).filter(pk__in=ids)).in_bulk()
        ordered = [projects[i] for i in ids if i in projects]
        # 获奖情况 only from published results: a decided but unpublished level stays out.
        awards = published_award_labels(projects)
        chapters = []
        for n, project in enumerate(ordered, start=1):
            chapters.append(chapter_of(n, project, chosen=chosen, limit=limit, award=awards.get(project.pk, "")))
            progress(share * n // max(len(ordered), 1))
        return with_awards(chapters)

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
        """Drawn in parts of BATCH chapters, each laid out and written to its own file on disk
        and then released, and joined by pdfunite in its own small process: laying out 200
        chapters with their photos at once peaked at 560 MB; a part at a time stays within
        the worker's budget. The contents (drawn last, when every chapter's first page is
        known) and the page numbers run on across the parts. The booklet is handed back as an
        open file (90 MB with 200 photos), never read into memory."""
        chapters = self.chapters(obj, user=user, params=params or {}, progress=progress, share=5)
        cover = self.cover(obj)
        with tempfile.TemporaryDirectory(prefix="booklet-") as tmp:
            # The front (cover, contents) first with stand-in numbers, to know where chapter 1 starts.
            for chapter in chapters:
                chapter.start_page = 999
            front_pages = len(self.draw(cover=cover, chapters=chapters).pages)
            page, parts = front_pages + 1, []
            for first in range(0, len(chapters), BATCH):
                batch = [load_pictures(c) for c in chapters[first : first + BATCH]]
                release_memory()  # what decoding and scaling the photos left behind
                document = self.draw(chapters=batch, first_page=page)
                starts = {}  # a chapter's anchor is on each of its pages: keep the first
                for n, part_page in enumerate(document.pages):
                    for anchor in part_page.anchors:
                        starts.setdefault(anchor, n)
                for chapter in batch:
                    chapter.start_page = page + starts.get(chapter.anchor, 0)
                parts.append(Path(tmp) / f"part-{first:05d}.pdf")
                document.write_pdf(parts[-1])
                page += len(document.pages)
                del document
                drop_pictures(batch)
                release_memory()
                progress(5 + 90 * min(first + BATCH, len(chapters)) // max(len(chapters), 1))
            front = self.draw(cover=cover, chapters=chapters)
            if len(front.pages) != front_pages:  # the real numbers are never wider than 999
                raise RuntimeError("目录页数与预排不一致")
            front_path = Path(tmp) / "front.pdf"
            front.write_pdf(front_path)
            del front
            release_memory()
            # Opened before the folder is removed: the open file outlives its name (POSIX).
            content = join_pdfs([front_path, *parts], Path(tmp) / "booklet.pdf").open("rb")
        progress(100)
        return Rendered(self.filename(obj, "pdf"), self.content_type, content)

    @staticmethod
    def draw(*, chapters, cover=None, first_page=1):
        """The cover and contents (cover given), or a part of the chapters starting at first_page."""
        from django.template.loader import render_to_string

        images = Images()
        if cover is None:
            for chapter in chapters:
                for picture in chapter.pictures:
                    picture.url = images.url((picture.data, picture.mime))
        html = render_to_string(
            "documents/booklet.html", {"cover": cover, "chapters": chapters, "first_page": first_page}
        )
        return html_to_document(html, "booklet.css", images)


BATCH = 20


def join_pdfs(paths: list[Path], out: Path) -> Path:
    """One PDF file from the parts, by poppler's pdfunite in its own process (it reads the
    parts object by object: 15 MB for a 90 MB booklet), else by pypdf (which holds every
    part in our worker: install poppler-utils)."""
    if len(paths) == 1:
        return paths[0]
    if shutil.which("pdfunite"):
        subprocess.run(["pdfunite", *map(str, paths), str(out)], check=True, capture_output=True, timeout=600)
    else:
        from pypdf import PdfWriter

        writer = PdfWriter()
        for path in paths:
            writer.append(str(path))
        with out.open("wb") as f:
            writer.write(f)
    return out


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
        # Real lines with page numbers (PAGEREF to each chapter's bookmark): LibreOffice and WPS
        # print them as they are; Word refreshes the numbers on opening (updateFields).
        for chapter in chapters:
            dx.contents_entry(doc, f"{chapter.number}. {chapter.name}", chapter_bookmark(chapter), width_cm=15.6)
        dx.update_fields_on_open(doc)
        dx.page_number_footer(doc)
        doc.sections[0].different_first_page_header_footer = True  # no number on the cover

        total = max(len(chapters), 1)
        for i, chapter in enumerate(chapters, start=1):
            dx.page_break(doc)
            heading = doc.add_heading(f"{chapter.number}. {chapter.name}", level=1)
            heading.alignment = dx.CENTER
            dx.bookmark(heading, chapter_bookmark(chapter), chapter.number)
            table = dx.form_table(doc, len(chapter.facts), [3.2, 12.6])
            for r, (label, value) in enumerate(chapter.facts):
                dx.cell_text(table.cell(r, 0), label, bold=True)
                dx.cell_text(table.cell(r, 1), value, align=dx.LEFT)
            for label, text in chapter.parts:
                doc.add_heading(label, level=2)
                for line in (text or "").splitlines() or [""]:
                    dx.paragraph(doc, line, first_line_chars=2).paragraph_format.line_spacing = 1.4
            for picture in load_pictures(chapter).pictures:
                p = dx.paragraph(doc, align=dx.CENTER)
                p.add_run().add_picture(io.BytesIO(picture.data), width=Cm(11))
                dx.paragraph(doc, picture.caption, align=dx.CENTER, size=10.5)
            drop_pictures([chapter])
            progress(50 + 45 * i // total)
        content = dx.to_bytes(doc)
        progress(100)
        return Rendered(self.filename(obj, "docx"), self.content_type, content)
