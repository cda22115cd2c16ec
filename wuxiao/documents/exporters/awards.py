"""Award documents: 获奖名单 (Excel and Word), the 青年岗位能手 priority list, the 优秀组织奖 table,
and the 获奖证书 (one PDF per award, or every certificate of a campaign as a background job).

Certificates carry a number and a QR code that opens the public check page, so a forged one is
caught by anyone with a phone."""

import io
from datetime import date

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from wuxiao.awards import queries as aq
from wuxiao.awards.models import Award, AwardSheet
from wuxiao.documents import content as words
from wuxiao.documents import docx_tools as dx
from wuxiao.documents import xlsx_tools as xl
from wuxiao.documents.exporters.lists import cell_styles, title_rows, write_row
from wuxiao.documents.exporters.permissions import is_admin, is_committee, may_see_project
from wuxiao.documents.pdf import Images, render_pdf
from wuxiao.documents.registry import DOCX, PDF, XLSX, Exporter, Rendered, register


class SheetExporter(Exporter):
    """obj: the campaign's AwardSheet. The committee exports at any time; once the results are
    published, every organisation admin may download the published lists."""

    def may_export(self, user, obj) -> bool:
        return is_committee(user) or (obj.is_published and is_admin(user))

    def load(self, params):
        return AwardSheet.objects.select_related("campaign").get(pk=params["sheet"])


def team_names(project) -> str:
    return "、".join([project.leader_name, *[m.name for m in project.members.all()]])


RESULT_COLUMNS = ("序号", "奖项", "项目名称", "单位", "项目负责人", "主要研究人员", "项目类别", "成果形式")


@register
class ResultsXlsx(SheetExporter):
    identifier = "results.xlsx"
    label = "获奖名单（Excel）"
    content_type = XLSX

    def render(self, obj, *, user, params=None, progress=None) -> Rendered:
        wb = Workbook()
        ws = wb.active
        ws.title = "获奖名单"
        widths = [6, 9, 34, 28, 10, 30, 10, 10]
        title_rows(ws, f"{obj.campaign.title}获奖名单", RESULT_COLUMNS, widths)
        styles = cell_styles(wb)
        names = ("center", "center", "left", "left", "center", "left", "center", "center")
        row = 2
        for i, award in enumerate(aq.prizes_for_list(obj), 1):
            p = award.project
            row += 1
            values = (
                i, award.get_level_display(), p.name, p.unit.employer, p.leader_name,
                "、".join(m.name for m in p.members.all()), p.category_display, p.achievement_form,
            )  # fmt: skip
            write_row(ws, row, values, styles, names, widths)
        return Rendered(f"获奖名单-{obj.campaign.year}.xlsx", self.content_type, xl.to_bytes(wb))


@register
class ResultsDocx(SheetExporter):
    identifier = "results.docx"
    label = "获奖名单（Word）"
    content_type = DOCX

    def render(self, obj, *, user, params=None, progress=None) -> Rendered:
        doc = dx.new_document()
        dx.paragraph(doc, f"{obj.campaign.title}获奖名单", align=dx.CENTER, size=16, bold=True, east_asia=dx.TITLE_FONT)
        by_level: dict[str, list[Award]] = {}
        for award in aq.prizes_for_list(obj):
            by_level.setdefault(award.get_level_display(), []).append(award)
        for label, awards in by_level.items():
            heading = dx.paragraph(doc, f"{label}（{len(awards)}项）", size=14, bold=True, east_asia=dx.TITLE_FONT)
            heading.paragraph_format.space_before = dx.Pt(12)
            heading.paragraph_format.keep_with_next = True  # never a level's heading alone at a page's foot
            table = dx.form_table(doc, len(awards) + 1, [1.2, 6.2, 4.6, 4.0])
            for col, text in enumerate(("序号", "项目名称", "单位", "项目团队")):
                dx.cell_text(table.cell(0, col), text, bold=True)
            dx.repeat_as_header(table.rows[0])
            for i, award in enumerate(awards, 1):
                p = award.project
                for col, text in enumerate((str(i), p.name, p.unit.employer, team_names(p))):
                    dx.cell_text(table.cell(i, col), text, align=dx.CENTER if col == 0 else dx.LEFT)
            # A row never breaks across pages; the header row keeps with the first one.
            for row in table.rows:
                dx.keep_row_together(row)
            for cell in table.rows[0].cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
        dx.page_number_footer(doc)
        return Rendered(f"获奖名单-{obj.campaign.year}.docx", self.content_type, dx.to_bytes(doc))


TALENT_COLUMNS = ("序号", "姓名", "性别", "年龄", "单位", "项目名称", "奖项")


@register
class TalentsXlsx(SheetExporter):
    """青年岗位能手 priority list: leaders of 特等奖 and 一等奖 projects. Personal data: committee only."""

    identifier = "talents.xlsx"
    label = "青年岗位能手优先推荐名单（Excel）"
    content_type = XLSX

    def may_export(self, user, obj) -> bool:
        return is_committee(user)

    def render(self, obj, *, user, params=None, progress=None) -> Rendered:
        wb = Workbook()
        ws = wb.active
        ws.title = "青年岗位能手"
        title = f"{obj.campaign.title}市级（杰出）青年岗位能手优先推荐名单"
        widths = [6, 10, 6, 6, 30, 34, 9]
        title_rows(ws, title, TALENT_COLUMNS, widths)
        styles = cell_styles(wb)
        names = ("center", "center", "center", "center", "left", "left", "center")
        row = 2
        for i, t in enumerate(aq.talent_list(obj), 1):
            row += 1
            write_row(ws, row, (i, t.name, t.gender, t.age, t.unit, t.project, t.level), styles, names, widths)
        return Rendered(f"青年岗位能手优先推荐名单-{obj.campaign.year}.xlsx", self.content_type, xl.to_bytes(wb))


ORG_COLUMNS = (
    "序号", "组织", "类型", "35岁以下青工", "参与人数", "每百名青工参与", "申报项目", "重点项目",
    "上报/名额", "逾期上报", "逾期未记录", "特等奖", "一等奖", "二等奖", "三等奖", "优秀组织奖",
)  # fmt: skip


@register
class OrganisationAwardsXlsx(SheetExporter):
    identifier = "organisation_awards.xlsx"
    label = "优秀组织奖评选表（Excel）"
    content_type = XLSX

    def may_export(self, user, obj) -> bool:
        return is_committee(user)

    def render(self, obj, *, user, params=None, progress=None) -> Rendered:
        wb = Workbook()
        first = True
        for kind, sheet_title in (("district", "县区及系统"), ("unit", "单位")):
            ws = wb.active if first else wb.create_sheet()
            first = False
            ws.title = sheet_title
            widths = [6, 30, 12, *[9] * 13]
            title_rows(ws, f"{obj.campaign.title}优秀组织奖评选表（{sheet_title}）", ORG_COLUMNS, widths)
            styles = cell_styles(wb)
            names = ("center", "left", "center", *["center"] * 13)
            orgs = list(aq.organisations_for_award(kind))
            row = 2
            for i, m in enumerate(aq.organisation_metrics(obj.campaign, orgs, today=timezone.localdate()), 1):
                row += 1
                values = (
                    i, m.organisation.name, m.organisation.get_kind_display(), m.young_workers, m.participants,
                    m.participation, m.registered, m.key_projects, f"{m.forwarded}/{m.quota}", m.late_forwarded,
                    m.overdue_records, m.awards.get("special", 0), m.awards.get("first", 0),
                    m.awards.get("second", 0), m.awards.get("third", 0), "是" if m.chosen else "",
                )  # fmt: skip
                write_row(ws, row, values, styles, names, widths)
        return Rendered(f"优秀组织奖评选表-{obj.campaign.year}.xlsx", self.content_type, xl.to_bytes(wb))


# --- 获奖证书 ---------------------------------------------------------------------------------


def verification_url(award: Award) -> str:
    return f"{settings.SITE_URL}{reverse('showcase:certificate', args=[award.certificate_number])}"


def qr_svg(url: str) -> tuple[bytes, str]:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=4, border=1, xmldecl=False)
    return buffer.getvalue(), "image/svg+xml"


def seal_url(sheet: AwardSheet, images: Images) -> str:
    """The committee's seal as ink on paper (a scan's white paper made transparent, so the
    issuer and the date show through it); "" when there is none or it cannot be read."""
    image = words.stamp_image(words.read_file(sheet.seal) or b"") if sheet.seal else None
    return images.url(image) if image else ""


def certificate_context(award: Award, images: Images) -> dict:
    sheet, project = award.sheet, award.project
    campaign = sheet.campaign
    published = timezone.localdate(sheet.published_at) if sheet.published_at else date.today()
    return {
        "campaign": campaign,
        "award": award,
        "project": project,
        "team": team_names(project),
        "is_team": bool(project.members.all()),  # one leader alone is "你", not "你们"
        "seal": seal_url(sheet, images),
        "wording": sheet.certificate_wording,
        "date": words.format_cn(published),
        "number": award.certificate_number,
        "qr": images.url(qr_svg(verification_url(award))),
        "verify_url": verification_url(award),
    }


class CertificateBase(Exporter):
    content_type = PDF


@register
class CertificatePdf(CertificateBase):
    """One award's certificate: the leader, the team, the unit and the committee may download it,
    once the results are published."""

    identifier = "certificate.pdf"
    label = "获奖证书（PDF）"

    def may_export(self, user, obj) -> bool:
        return obj.sheet.is_published and obj.is_prize and (is_committee(user) or may_see_project(user, obj.project))

    def load(self, params):
        return Award.objects.select_related("sheet__campaign", "project__unit").get(pk=params["award"])

    def render(self, obj, *, user, params=None, progress=None) -> Rendered:
        images = Images()
        pdf = render_pdf("documents/certificates.html", {"certificates": [certificate_context(obj, images)]},
                         "certificate.css", images)  # fmt: skip
        name = words.safe_filename(f"获奖证书-{obj.project.name}")
        return Rendered(f"{name}.pdf", self.content_type, pdf)


@register
class CertificatesPdf(CertificateBase):
    """Every certificate of a campaign in one PDF, for printing: a background job."""

    identifier = "certificates.pdf"
    label = "全部获奖证书（PDF，后台生成）"
    background = True

    def may_export(self, user, obj) -> bool:
        return obj.is_published and is_committee(user)

    def load(self, params):
        return AwardSheet.objects.select_related("campaign").get(pk=params["sheet"])

    def render(self, obj, *, user, params=None, progress=None) -> Rendered:
        images = Images()
        awards = aq.prizes_for_list(obj)
        certificates = []
        for i, award in enumerate(awards, 1):
            certificates.append(certificate_context(award, images))
            if progress:
                progress(int(80 * i / max(1, len(awards))))
        pdf = render_pdf("documents/certificates.html", {"certificates": certificates}, "certificate.css", images)
        return Rendered(f"获奖证书-{obj.campaign.year}.pdf", self.content_type, pdf)
