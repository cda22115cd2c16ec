"""Attachments: allowed kinds by content, sizes, names, storage and the project total."""

import os
import zipfile

import pytest
from django.core.exceptions import ValidationError

from tests.projects.files import (
    docx_bytes,
    exe_bytes,
    jpg_bytes,
    pdf_bytes,
    plain_zip_bytes,
    png_bytes,
    upload,
    xlsx_bytes,
)
from wuxiao.projects import services
from wuxiao.projects.models import Attachment
from wuxiao.projects.uploads import ALLOWED_TEXT, check_upload, safe_display_name

pytestmark = pytest.mark.django_db


def attach(project, file):
    project.refresh_from_db()
    return services.add_attachment(project=project, by=project.leader, file=file, expected_version=project.version)


@pytest.mark.parametrize(
    ("name", "make", "content_type"),
    [
        ("证明材料.pdf", pdf_bytes, "application/pdf"),
        ("现场照片.png", png_bytes, "image/png"),
        ("现场照片.jpg", jpg_bytes, "image/jpeg"),
        ("补充说明.docx", docx_bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("效益测算.xlsx", xlsx_bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_allowed_kinds_are_stored_under_generated_names(draft, name, make, content_type):
    content = make()
    attachment = attach(draft, upload(name, content))
    assert attachment.original_name == name
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    stored = attachment.file.name.rsplit("/", 1)[-1]
    assert name not in attachment.file.name
    assert len(stored.split(".")[0]) == 32  # uuid4 hex
    with attachment.file.open("rb") as f:
        assert f.read() == content
    draft.refresh_from_db()
    assert draft.version == 2


def test_legacy_doc_and_xls_by_their_ole_signature():
    # An OLE compound file header; the first sector tells a Word FIB from an Excel BOF.
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    doc = ole + b"\xec\xa5\xc1\x00" + b"\x00" * 2000
    xls = ole + b"\x09\x08\x10\x00\x00\x06\x05\x00" + b"\x00" * 2000
    checked = check_upload(upload("旧版说明.doc", doc))
    assert (checked.extension, checked.content_type) == ("doc", "application/msword")
    checked = check_upload(upload("旧版测算.xls", xls))
    assert (checked.extension, checked.content_type) == ("xls", "application/vnd.ms-excel")
    with pytest.raises(ValidationError):  # an OLE file that is neither (e.g. an .msi installer)
        check_upload(upload("安装包.doc", ole + b"\x00" * 2000))


def test_renamed_exe_is_refused_with_what_is_allowed(draft):
    with pytest.raises(ValidationError) as exc:
        attach(draft, upload("说明.pdf", exe_bytes()))
    assert exc.value.messages == [
        f"文件“说明.pdf”的内容不是允许的类型（按文件内容检查，而非文件名）。只允许上传：{ALLOWED_TEXT}"
    ]
    assert Attachment.objects.count() == 0


def test_zip_that_is_not_word_or_excel_is_refused(draft):
    with pytest.raises(ValidationError):
        attach(draft, upload("方案.docx", plain_zip_bytes()))


def test_text_file_is_refused(draft):
    with pytest.raises(ValidationError):
        attach(draft, upload("说明.txt", "纯文本".encode()))


def test_empty_file_is_refused(draft):
    with pytest.raises(ValidationError) as exc:
        attach(draft, upload("空白.pdf", b""))
    assert exc.value.messages == ["文件“空白.pdf”是空文件（0 字节），请选择有内容的文件"]


def test_oversized_file_is_refused(draft, settings):
    settings.WUXIAO_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as exc:
        attach(draft, upload("大文件.pdf", b"%PDF-1.4\n" + b"\x00" * 2039))
    assert exc.value.messages == ["文件“大文件.pdf”大小为 0.0 MB（2048 字节），超过单个附件的上限 0.0 MB（1024 字节）"]


def test_default_limits_are_20mb_per_file_and_100mb_per_project(draft, settings):
    from wuxiao.projects import uploads

    assert uploads.max_bytes() == 20 * 1024 * 1024
    assert uploads.project_max_bytes() == 100 * 1024 * 1024
    big = upload("大文件.pdf", b"%PDF-1.4\n" + b"\x00" * (20 * 1024 * 1024))
    with pytest.raises(ValidationError) as exc:
        attach(draft, big)
    assert exc.value.messages == ["文件“大文件.pdf”大小为 20.0 MB（20971529 字节），超过单个附件的上限 20 MB"]


def test_project_total_is_limited(draft, settings):
    content = pdf_bytes()
    settings.WUXIAO_UPLOAD_PROJECT_MAX_BYTES = len(content) * 2
    attach(draft, upload("一.pdf", content))
    attach(draft, upload("二.pdf", content))
    with pytest.raises(ValidationError) as exc:
        attach(draft, upload("三.pdf", content))
    assert "将超过每个项目附件总量的上限" in exc.value.messages[0]
    assert Attachment.objects.filter(project=draft).count() == 2


def test_path_in_the_name_is_stripped_and_stored_safely(draft, settings):
    attachment = attach(draft, upload("../../etc/passwd.pdf", pdf_bytes()))
    assert attachment.original_name == "passwd.pdf"
    assert ".." not in attachment.file.name and "etc" not in attachment.file.name
    assert attachment.file.path.startswith(str(settings.MEDIA_ROOT))


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("..\\..\\windows\\system.ini.pdf", "system.ini.pdf"),
        ("报告\u202egpj.exe.pdf", "报告gpj.exe.pdf"),  # right-to-left override removed
        ("a\x00b\r\nc.pdf", "abc.pdf"),
        ("...", "附件.pdf"),
        ('说明"<>|.pdf', "说明____.pdf"),
        ("", "附件.pdf"),
    ],
)
def test_safe_display_name(raw, shown):
    assert safe_display_name(raw, "pdf") == shown


def test_attachments_only_while_editable(submitted):
    with pytest.raises(ValidationError) as exc:
        attach(submitted, upload("补充.pdf", pdf_bytes()))
    assert exc.value.code == "not_editable"


def test_attachment_names_are_kept_in_the_submitted_version(complete):
    attach(complete, upload("证明材料.pdf", pdf_bytes()))
    complete.refresh_from_db()
    project = services.submit_project(project=complete, by=complete.leader, expected_version=complete.version)
    assert project.versions.get().data["attachments"] == ["证明材料.pdf"]


def test_remove_attachment_deletes_row_and_file(draft, django_capture_on_commit_callbacks):
    attachment = attach(draft, upload("证明材料.pdf", pdf_bytes()))
    path = attachment.file.path
    draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_attachment(attachment=attachment, by=draft.leader, expected_version=draft.version)
    assert Attachment.objects.count() == 0
    import os

    assert not os.path.exists(path)


def test_zip_with_a_bloated_content_types_entry_is_refused():
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "wordprocessingml.document" + " " * (1024 * 1024))
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ValidationError):
        check_upload(upload("炸弹.docx", out.getvalue()))


def _docx_with(parts: dict[str, bytes]) -> bytes:
    """A zip shaped like a valid .docx, plus the given parts."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "wordprocessingml.document")
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_docx_whose_part_inflates_enormously_is_refused_by_its_ratio():
    bomb = _docx_with({"word/media/image1.png": b"\0" * (40 * 1024 * 1024)})  # ~40 kB on disk
    assert len(bomb) < 100 * 1024
    with pytest.raises(ValidationError) as refused:
        check_upload(upload("炸弹.docx", bomb))
    assert refused.value.code == "zip_bomb"
    assert "部件 word/media/image1.png 压缩比为" in refused.value.messages[0]
    assert "超过上限 200:1（疑似压缩炸弹）" in refused.value.messages[0]


def test_docx_declaring_a_gigantic_part_is_refused_before_inflating(monkeypatch):
    from wuxiao.projects import uploads

    data = _patch_declared_size(_docx_with({"word/big.xml": b"x" * 1000}), "word/big.xml", 1024**3)
    inflated = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(
        zipfile.ZipFile, "open", lambda self, *a, **k: inflated.append(a[0]) or real_open(self, *a, **k)
    )
    with pytest.raises(ValidationError) as refused:
        uploads.check_upload(upload("巨大.docx", data))
    assert "部件 word/big.xml 解压后为 1024 MB，超过单个部件上限 100 MB" in refused.value.messages[0]
    assert inflated == []


def test_docx_whose_parts_add_up_beyond_the_total_is_refused(monkeypatch):
    from wuxiao.projects import uploads

    monkeypatch.setattr(uploads, "ZIP_MAX_TOTAL_BYTES", 3 * 1024 * 1024)
    parts = {f"word/media/image{i}.bin": os.urandom(1024 * 1024) for i in range(4)}
    with pytest.raises(ValidationError) as refused:
        uploads.check_upload(upload("多图.docx", _docx_with(parts)))
    assert "解压后共 4.0 MB" in refused.value.messages[0] and "超过上限 3 MB" in refused.value.messages[0]


def test_docx_whose_part_lies_about_its_size_is_refused():
    """Declared 10 bytes, actually 1000: inflating stops at the declared size and the
    checksum fails, so the file is refused without inflating the rest."""
    data = _patch_declared_size(_docx_with({"word/lie.xml": b"y" * 1000}), "word/lie.xml", 10)
    with pytest.raises(ValidationError) as refused:
        check_upload(upload("说谎.docx", data))
    assert refused.value.code == "kind"


def test_a_real_docx_and_xlsx_still_pass():
    assert check_upload(upload("说明.docx", docx_bytes())).extension == "docx"
    assert check_upload(upload("测算.xlsx", xlsx_bytes())).extension == "xlsx"


def _patch_declared_size(data: bytes, member: str, size: int) -> bytes:
    """Rewrite a member's uncompressed size in both the local header and the central
    directory (what a hand-made bomb does)."""
    import struct

    raw = bytearray(data)
    encoded = member.encode()
    # local file header: signature PK\3\4, uncompressed size at offset 22, name at 30
    pos = raw.find(b"PK\x03\x04" + b"", 0)
    while pos != -1:
        name_len = struct.unpack_from("<H", raw, pos + 26)[0]
        if raw[pos + 30 : pos + 30 + name_len] == encoded:
            struct.pack_into("<I", raw, pos + 22, size)
        pos = raw.find(b"PK\x03\x04", pos + 4)
    # central directory header: signature PK\1\2, uncompressed size at offset 24, name at 46
    pos = raw.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", raw, pos + 28)[0]
        if raw[pos + 46 : pos + 46 + name_len] == encoded:
            struct.pack_into("<I", raw, pos + 24, size)
        pos = raw.find(b"PK\x01\x02", pos + 4)
    return bytes(raw)


def _picture(fmt: str, width: int, height: int) -> bytes:
    """A blank picture: tiny on disk, however many pixels it declares."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("1" if fmt == "PNG" else "L", (width, height), 1).save(out, fmt)
    return out.getvalue()


def _checkers():
    from wuxiao.awards.services import check_seal
    from wuxiao.projects.workflow import _check_file

    return {
        "attachment": check_upload,
        "seal": check_seal,
        "stamp": lambda f: _check_file(f, max_bytes=20 * 1024 * 1024, what="盖章文件"),
    }


@pytest.mark.parametrize("checker", ["attachment", "seal", "stamp"])
def test_a_picture_with_more_pixels_than_printing_affords_is_refused(checker):
    """A 12 MP PNG is decoded whole when the 申报表 or 案例集 prints it: a few kB that declare
    9000×9000 pixels made the export worker peak at 850 MB. A 20 MP phone JPEG still passes."""
    big = _picture("PNG", 4000, 3001)
    assert len(big) < 100_000
    with pytest.raises(ValidationError) as exc:
        _checkers()[checker](upload("印章.png", big))
    assert "为 4000×3001 像素，超过上限 12 百万像素（PNG），请缩小后重新上传" in exc.value.messages[0]
    _checkers()[checker](upload("现场照片.jpg", _picture("JPEG", 5000, 4000)))


def test_a_stored_picture_over_the_limit_is_left_out_of_the_print_not_decoded():
    from wuxiao.documents.content import printable_image, stamp_image

    big = _picture("PNG", 4000, 3001)
    assert printable_image(big) is None and stamp_image(big) is None
    assert printable_image(_picture("PNG", 400, 300)) is not None


def test_stamp_and_work_record_file_messages_show_a_safe_name():
    from wuxiao.projects.workflow import _check_file

    with pytest.raises(ValidationError) as exc:
        _check_file(upload("\u202egnp.exe", b""), max_bytes=1024, what="附件")
    assert exc.value.messages == ["附件“gnp.exe”是空文件"]
