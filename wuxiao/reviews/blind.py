"""Blind mode: find where a project names its unit or a team member, so the committee can
ask for a cleaned copy before experts see it. Reads the text fields, the attachments' file
names, document properties and text (PDF via pypdf, Word via python-docx, Excel via
openpyxl). Never shown to experts; a file that cannot be read is itself flagged."""

import io
import re
import zipfile
from dataclasses import dataclass

from wuxiao.projects.models import Attachment, Project

LEAGUE_SUFFIXES = ("团委", "团总支", "团支部", "团工委")
TEXT_FIELDS = ("name", "reason", "content", "measures", "benefits")
MAX_TEXT = 200_000  # characters read from one attachment
# A Word/Excel XML part larger than this is left to a person: parsed whole, a 17 MB .docx
# (accepted: within the upload's zip limits) whose document.xml inflates to 60 MB took 9.7 s
# and 320 MB of the web process. 10 MB of XML is thousands of pages; pictures are not parsed.
MAX_XML_PART_BYTES = 10 * 1024 * 1024


def _refuse_huge_parts(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        largest = max((i.file_size for i in archive.infolist() if i.filename.endswith(".xml")), default=0)
    if largest > MAX_XML_PART_BYTES:
        raise ValueError(f"an XML part of {largest} bytes is too large to read")


@dataclass(frozen=True)
class Hit:
    where: str
    found: str
    attachment: Attachment | None = None


def identifying_names(project: Project) -> list[tuple[str, str]]:
    """(label, text) pairs that must not appear: the unit's name with and without its league
    suffix, the leader's and team members' names."""
    names: list[tuple[str, str]] = []
    unit = project.unit.name
    names.append(("单位名称", unit))
    for suffix in LEAGUE_SUFFIXES:
        if unit.endswith(suffix) and len(unit) > len(suffix) + 1:
            names.append(("单位名称", unit[: -len(suffix)]))
    people = [project.leader_name, project.leader.real_name] + [m.name for m in project.members.all()]
    for person in people:
        if person and len(person) >= 2:
            names.append(("人员姓名", person))
    seen, unique = set(), []
    for label, text in names:
        if text not in seen:
            seen.add(text)
            unique.append((label, text))
    return unique


def _find(text: str, names: list[tuple[str, str]]) -> list[str]:
    compact = re.sub(r"\s+", "", text or "")
    return [f"{label}“{name}”" for label, name in names if name in compact]


def document_text(data: bytes, filename: str) -> tuple[str, str]:
    """(properties, body text) of a PDF, Word or Excel file; ("", "") for other kinds."""
    lower = filename.lower()
    if data[:5] == b"%PDF-" or lower.endswith(".pdf"):
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        meta = reader.metadata or {}
        props = " ".join(str(v) for v in meta.values() if v)
        body = "".join((page.extract_text() or "") for page in reader.pages[:50])
        return props, body[:MAX_TEXT]
    if lower.endswith(".docx"):
        import docx

        _refuse_huge_parts(data)
        document = docx.Document(io.BytesIO(data))
        cp = document.core_properties
        props = " ".join(filter(None, [cp.author, cp.last_modified_by, cp.title, cp.subject, cp.keywords, cp.comments]))
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                parts.extend(cell.text for cell in row.cells)
        return props, "\n".join(parts)[:MAX_TEXT]
    if lower.endswith(".xlsx"):
        import openpyxl

        _refuse_huge_parts(data)
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        p = book.properties
        props = " ".join(filter(None, [p.creator, p.lastModifiedBy, p.title, p.subject, p.keywords, p.description]))
        parts = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                parts.extend(str(v) for v in row if v is not None)
                if sum(map(len, parts)) > MAX_TEXT:
                    break
        book.close()
        return props, "\n".join(parts)[:MAX_TEXT]
    return "", ""


def leaks(project: Project) -> list[Hit]:
    names = identifying_names(project)
    hits: list[Hit] = []
    for field in TEXT_FIELDS:
        for found in _find(getattr(project, field), names):
            hits.append(Hit(where=f"申报表“{project._meta.get_field(field).verbose_name}”", found=found))
    for attachment in project.attachments.all():
        label = f"附件“{attachment.original_name}”"
        for found in _find(attachment.original_name, names):
            hits.append(Hit(where=f"{label}的文件名", found=found, attachment=attachment))
        try:
            with attachment.file.open("rb") as fh:
                data = fh.read()
            props, body = document_text(data, attachment.original_name)
        except Exception:  # a damaged or encrypted file: the committee should look at it
            hits.append(Hit(where=label, found="无法读取文件内容，请人工检查", attachment=attachment))
            continue
        for found in _find(props, names):
            hits.append(Hit(where=f"{label}的文档属性", found=found, attachment=attachment))
        for found in _find(body, names):
            hits.append(Hit(where=f"{label}的正文", found=found, attachment=attachment))
    return hits


REDACTED = "〔已隐去〕"


def redacted(project: Project) -> dict[str, str]:
    """The 申报表's text fields with every identifying name replaced, for a blind round's
    expert: applicants write their unit into names and texts, and a blind page must not
    show it. Longest names first, so a unit's full name goes before its shorter form."""
    names = sorted({text for _, text in identifying_names(project)}, key=len, reverse=True)
    out = {}
    for field in TEXT_FIELDS:
        text = getattr(project, field) or ""
        for name in names:
            text = text.replace(name, REDACTED)
        out[field] = text
    return out


def blind_filename(attachment: Attachment, number: int) -> str:
    """The name an expert sees and downloads: 附件N with the original extension only."""
    ext = ""
    if "." in attachment.original_name:
        ext = "." + re.sub(r"[^A-Za-z0-9]", "", attachment.original_name.rsplit(".", 1)[1])[:8]
    return f"附件{number}{ext}"


def attachment_download(assignment, attachments, number: int):
    """The expert's download of attachment `number` (1-based, in the order the review page
    lists them): in a blind round under a neutral name (附件N.pdf), never the original one.
    The portal page and the API answer with this one response."""
    from django.http import FileResponse, Http404

    files = list(attachments)
    if not 1 <= number <= len(files):
        raise Http404("附件不存在")
    item = files[number - 1]
    name = blind_filename(item, number) if assignment.round.blind else item.original_name
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("附件文件不存在") from exc
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Content-Type"] = item.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response
