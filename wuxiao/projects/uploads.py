"""Checking uploaded attachments by what they contain, not by what they are called.

Allowed: PDF, JPG/PNG images, Word (.doc/.docx) and Excel (.xls/.xlsx). The kind comes
from the file's first bytes (the `filetype` package); .docx/.xlsx are zip files, so the
zip's own table of contents must show a Word or Excel document inside.
"""

import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

ALLOWED_TEXT = "PDF、图片（JPG/PNG）、Word（.doc/.docx）、Excel（.xls/.xlsx）"

# detected kind → (extension we store, content type we serve)
KINDS = {
    "pdf": ("pdf", "application/pdf"),
    "jpg": ("jpg", "image/jpeg"),
    "png": ("png", "image/png"),
    "doc": ("doc", "application/msword"),
    "xls": ("xls", "application/vnd.ms-excel"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
PROJECT_MAX_BYTES_DEFAULT = 100 * 1024 * 1024


def max_bytes() -> int:
    return settings.WUXIAO_UPLOAD_MAX_BYTES


def project_max_bytes() -> int:
    return getattr(settings, "WUXIAO_UPLOAD_PROJECT_MAX_BYTES", PROJECT_MAX_BYTES_DEFAULT)


def mb(size: int) -> str:
    """20971520 → "20 MB", 1572864 → "1.5 MB"; bytes added where rounding would hide them."""
    shown = f"{size / 1024 / 1024:.1f} MB"
    if size % (1024 * 1024) == 0:
        return shown.replace(".0 MB", " MB")
    if size < 1024 * 1024 // 10 or shown.endswith(".0 MB"):
        return f"{shown}（{size} 字节）"
    return shown


@dataclass(frozen=True)
class CheckedUpload:
    display_name: str
    extension: str
    content_type: str
    size: int


_UNSAFE = re.compile(r'[<>:"|?*]')


def safe_display_name(name: str, extension: str) -> str:
    """The original name, fit to show and to put in a download header: no directories,
    no control or formatting characters (e.g. right-to-left overrides), no leading dots."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name).strip().lstrip(".").strip()
    if not name:
        name = f"附件.{extension}"
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: 140 - len(ext)]}.{ext}" if dot and len(ext) <= 8 else name[:150]
    return name


# Limits for the zip inside a .docx/.xlsx (also .pptx, if ever allowed). A real document of
# the 20 MB we accept inflates to well under these; a "zip bomb" (a few kB that inflate to
# gigabytes) exceeds them in its table of contents, before anything is inflated.
ZIP_MAX_MEMBERS = 5000
ZIP_MAX_MEMBER_BYTES = 100 * 1024 * 1024
ZIP_MAX_TOTAL_BYTES = 200 * 1024 * 1024
# XML compresses 10–20×, images and media ~1×; members this small are never refused for ratio.
ZIP_MAX_RATIO = 200
ZIP_RATIO_FLOOR_BYTES = 1024 * 1024
_CHUNK = 64 * 1024


def _zip_problem(archive: zipfile.ZipFile, name: str) -> str | None:
    """What makes the archive unsafe to open, checked on the declared sizes first and then
    on the actual ones: every member is inflated in chunks (never more than its declared
    size, which is already bounded) and its checksum verified, so a member that lies about
    its size is caught without inflating more than ZIP_MAX_TOTAL_BYTES in all."""
    infos = archive.infolist()
    if len(infos) > ZIP_MAX_MEMBERS:
        return f"文件“{name}”内含 {len(infos)} 个部件，超过上限 {ZIP_MAX_MEMBERS} 个"
    total = 0
    for info in infos:
        if info.file_size > ZIP_MAX_MEMBER_BYTES:
            return f"文件“{name}”的部件 {info.filename} 解压后为 {mb(info.file_size)}，超过单个部件上限 {mb(ZIP_MAX_MEMBER_BYTES)}"
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > ZIP_RATIO_FLOOR_BYTES and ratio > ZIP_MAX_RATIO:
            return (
                f"文件“{name}”的部件 {info.filename} 压缩比为 {ratio:.0f}:1，超过上限 {ZIP_MAX_RATIO}:1（疑似压缩炸弹）"
            )
        total += info.file_size
    if total > ZIP_MAX_TOTAL_BYTES:
        return f"文件“{name}”解压后共 {mb(total)}，超过上限 {mb(ZIP_MAX_TOTAL_BYTES)}"
    for info in infos:
        actual = 0
        with archive.open(info) as member:  # raises BadZipFile when the checksum does not match
            while chunk := member.read(_CHUNK):
                actual += len(chunk)
        if actual != info.file_size:
            return f"文件“{name}”的部件 {info.filename} 实际解压大小 {actual} 字节与声明的 {info.file_size} 字节不符"
    return None


def _office_kind(head_kind: str | None, file) -> str | None:
    """A zip is Word or Excel only if its [Content_Types].xml and its parts say so, and only
    if it is safe to open (see _zip_problem): an unsafe one is refused with the reason."""
    name = safe_display_name(getattr(file, "name", "") or "", "zip")
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                return None
            # A real one is a few kB; a huge one is a decompression bomb, not a document.
            if archive.getinfo("[Content_Types].xml").file_size > 256 * 1024:
                return None
            problem = _zip_problem(archive, name)
            if problem:
                raise ValidationError(problem, code="zip_bomb")
            types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, KeyError, RuntimeError, EOFError):
        return None  # a damaged archive is not a document
    finally:
        file.seek(0)
    if "word/document.xml" in names and "wordprocessingml.document" in types:
        return "docx"
    if "xl/workbook.xml" in names and "spreadsheetml.sheet" in types:
        return "xlsx"
    return None


# Pictures are printed into the 申报表 and the 案例集 (documents.content): Pillow decodes a PNG
# whole (about 20 bytes a pixel at the peak), a JPEG at a reduced scale (draft). A 334 kB PNG
# of 9000×9000 pixels made the export worker peak at 850 MB; at these limits it stays within
# its 250 MB (12 MP PNG: 238 MB; 100 MP JPEG: 167 MB). A phone photo (12–50 MP) is a JPEG.
IMAGE_MAX_PIXELS = {"png": 12_000_000, "jpg": 100_000_000}


def image_size(file) -> tuple[int, int] | None:
    """(width, height) from the picture's header, without decoding it; None when unreadable."""
    from PIL import Image

    try:
        file.seek(0)
        with Image.open(file) as img:
            return img.size
    except Image.DecompressionBombError:
        return (1 << 16, 1 << 16)  # Pillow refuses to open it at all: far over any limit
    except (OSError, SyntaxError, ValueError):
        return None
    finally:
        file.seek(0)


def image_problem(file, kind: str, name: str) -> str | None:
    """Why a PNG/JPG cannot be accepted: more pixels than printing can afford. (A picture whose
    header Pillow cannot read is judged by its signature alone, as before: printing skips it.)"""
    size = image_size(file) if kind in IMAGE_MAX_PIXELS else None
    if size is None:
        return None
    width, height = size
    limit = IMAGE_MAX_PIXELS[kind]
    if width * height > limit:
        return (
            f"图片“{name}”为 {width}×{height} 像素，超过上限 {limit // 1_000_000} 百万像素"
            f"（{'PNG' if kind == 'png' else 'JPG'}），请缩小后重新上传"
        )
    return None


def detect_kind(file) -> str | None:
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    guess = filetype.guess(head)
    kind = guess.extension if guess else None
    if kind in ("zip", "docx", "xlsx"):
        return _office_kind(kind, file)
    if kind in ("doc", "xls"):
        return kind
    if kind in ("pdf", "jpg", "png"):
        return kind
    return None


def check_upload(file, *, used_bytes: int = 0) -> CheckedUpload:
    """Refuse anything that is not an allowed kind, is empty, or is too large (per file
    and for the project as a whole); say what is allowed."""
    size = file.size
    name = getattr(file, "name", "") or ""
    if not size:
        raise ValidationError(
            f"文件“{safe_display_name(name, 'pdf')}”是空文件（0 字节），请选择有内容的文件", code="empty"
        )
    if size > max_bytes():
        raise ValidationError(
            f"文件“{safe_display_name(name, 'pdf')}”大小为 {mb(size)}，超过单个附件的上限 {mb(max_bytes())}",
            code="too_large",
        )
    if used_bytes + size > project_max_bytes():
        raise ValidationError(
            f"本项目附件已占用 {mb(used_bytes)}，加上该文件（{mb(size)}）将超过每个项目附件总量的上限 {mb(project_max_bytes())}",
            code="project_too_large",
        )
    kind = detect_kind(file)
    if kind is None:
        raise ValidationError(
            f"文件“{safe_display_name(name, 'bin')}”的内容不是允许的类型（按文件内容检查，而非文件名）。只允许上传：{ALLOWED_TEXT}",
            code="kind",
        )
    problem = image_problem(file, kind, safe_display_name(name, kind))
    if problem:
        raise ValidationError(problem, code="pixels")
    extension, content_type = KINDS[kind]
    return CheckedUpload(
        display_name=safe_display_name(name, extension), extension=extension, content_type=content_type, size=size
    )


def store(*, project, upload, purpose: str, by, display_name: str, extension: str, content_type: str):
    """Save a checked upload as a StoredFile under a generated name (never the user's), with
    its safe display name. The caller has checked its content (check_upload / _check_file)."""
    import uuid

    from wuxiao.projects.models import StoredFile

    stored = StoredFile(
        project=project,
        purpose=purpose,
        name=safe_display_name(display_name, extension),
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    upload.seek(0)
    stored.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
    stored.save()
    return stored


def download_response(stored):
    """A stored file as a download under its safe display name and the type its content was
    judged to be; the caller has checked that the user may see the project. 404 when the
    file itself is gone (a database restored without its media)."""
    from django.http import FileResponse, Http404

    try:
        handle = stored.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("文件不存在") from exc
    extension = stored.file.name.rsplit(".", 1)[-1] if "." in stored.file.name else "bin"
    # Django writes a non-ASCII name as RFC 5987 `filename*=utf-8''…`, with an ASCII fallback.
    response = FileResponse(handle, as_attachment=True, filename=safe_display_name(stored.name, extension))
    response["Content-Type"] = stored.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response
