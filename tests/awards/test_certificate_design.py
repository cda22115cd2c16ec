"""证书设置: the committee uploads its seal and sets the wording; the upload is judged by its
content; every change is audited; nobody else may see or change it; the certificate prints it."""

import io
import subprocess

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.awards.test_services import forwarded, propose
from tests.documents.conftest import scanned_seal
from wuxiao.audit.models import AuditEntry
from wuxiao.awards import services
from wuxiao.awards.models import Award, AwardSheet
from wuxiao.demo.workflow import _seal_png
from wuxiao.documents.registry import get_exporter

SEAL = _seal_png("共青团柳州市委员会")


def upload(name="组委会印章.png", data=SEAL, content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def published(campaign, alice_committee, unit_a):
    projects = forwarded(campaign, unit_a, 4)
    propose(campaign, alice_committee, projects, specials=1)
    services.lock_results(campaign=campaign, by=alice_committee)
    services.publish_results(campaign=campaign, by=alice_committee)
    return projects


def design_url(campaign):
    return f"{reverse('console:awards_certificate_design')}?campaign={campaign.pk}"


def test_committee_uploads_a_seal_and_sets_the_wording(client_for, campaign, alice_committee):
    client = client_for(alice_committee)
    assert client.get(design_url(campaign)).status_code == 200
    response = client.post(
        design_url(campaign), {"wording": "特发此证，以资鼓励！", "seal": upload("../../etc/印章 .png")}
    )
    assert response.status_code == 302
    sheet = AwardSheet.objects.get(campaign=campaign)
    assert sheet.certificate_wording == "特发此证，以资鼓励！"
    # Stored under a generated name, never the uploaded one.
    assert sheet.seal.name.startswith("seals/") and sheet.seal.name.endswith(".png") and "印章" not in sheet.seal.name
    assert sheet.seal.read() == SEAL
    entry = AuditEntry.objects.get(action="awards.certificate_design")
    assert (entry.actor, entry.target_id) == (alice_committee, str(sheet.pk))
    assert entry.before == {"证书用语": "特发此证，以资鼓励。", "印章": ""}
    assert entry.after == {"证书用语": "特发此证，以资鼓励！", "印章": sheet.seal.name}
    assert entry.note == "上传印章：印章 .png"
    page = client.get(design_url(campaign)).content.decode()
    seal_url = f"{reverse('console:awards_seal')}?campaign={campaign.pk}"
    assert f'src="{seal_url}"' in page and "特发此证，以资鼓励！" in page
    image = client.get(seal_url)
    assert (image.status_code, image["Content-Type"], b"".join(image.streaming_content)) == (200, "image/png", SEAL)
    assert image["X-Content-Type-Options"] == "nosniff"


def test_a_scanned_jpeg_replaces_the_seal_and_the_old_file_goes(
    client_for, campaign, alice_committee, django_capture_on_commit_callbacks
):
    services.set_certificate_design(campaign=campaign, by=alice_committee, wording="特发此证。", seal=upload())
    old = AwardSheet.objects.get(campaign=campaign).seal
    storage, old_name = old.storage, old.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(alice_committee).post(
            design_url(campaign), {"wording": "特发此证。", "seal": upload("scan.JPG", scanned_seal(), "image/jpeg")}
        )
    assert response.status_code == 302
    sheet = AwardSheet.objects.get(campaign=campaign)
    assert sheet.seal.name.endswith(".jpg") and not storage.exists(old_name)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(alice_committee).post(design_url(campaign), {"wording": "特发此证。", "remove_seal": "on"})
    sheet.refresh_from_db()
    assert not sheet.seal
    assert AuditEntry.objects.filter(action="awards.certificate_design").order_by("pk").last().note == "删除印章"


def truncated_png():
    return SEAL[:200]


def huge_png():
    out = io.BytesIO()
    Image.new("1", (7000, 7000)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "seal.png",
            b"MZ\x90\x00 renamed exe",
            "印章图片“seal.png”不是 PNG 或 JPG 图片（按文件内容检查，而非文件名），请重新上传",
        ),
        (
            "seal.png",
            b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n",
            "印章图片“seal.png”不是 PNG 或 JPG 图片（按文件内容检查，而非文件名），请重新上传",
        ),
        ("seal.png", truncated_png(), "印章图片“seal.png”已损坏，无法读取，请重新扫描后上传"),
        ("big.png", huge_png(), "印章图片“big.png”为 7000×7000 像素，过大；请上传不超过 6000×6000 像素的图片"),
    ],
)
def test_a_seal_is_judged_by_its_content(client_for, campaign, alice_committee, name, data, message):
    response = client_for(alice_committee).post(design_url(campaign), {"wording": "新用语", "seal": upload(name, data)})
    assert response.status_code == 200
    assert response.context["form"].errors == {"seal": [message]}
    sheet = AwardSheet.objects.filter(campaign=campaign).first()
    assert sheet is None or (sheet.certificate_wording, sheet.seal.name or "") == ("特发此证，以资鼓励。", "")
    assert not AuditEntry.objects.filter(action="awards.certificate_design").exists()


def test_size_limit_and_empty_file(campaign, alice_committee, monkeypatch):
    from django.core.exceptions import ValidationError

    monkeypatch.setattr(services, "SEAL_MAX_BYTES", 1024)
    with pytest.raises(ValidationError) as exc:
        services.set_certificate_design(campaign=campaign, by=alice_committee, wording="x", seal=upload())
    assert exc.value.messages == [
        f"印章图片“组委会印章.png”大小为 {len(SEAL) / 1024 / 1024:.1f} MB（{len(SEAL)} 字节），超过上限 0.0 MB（1024 字节）"
    ]
    with pytest.raises(ValidationError) as exc:
        services.set_certificate_design(campaign=campaign, by=alice_committee, wording="x", seal=upload(data=b""))
    assert exc.value.messages == ["印章图片“组委会印章.png”是空文件（0 字节），请选择有内容的图片"]
    with pytest.raises(ValidationError) as exc:
        services.set_certificate_design(campaign=campaign, by=alice_committee, wording="   ")
    assert exc.value.messages == ["证书用语必须填写，例如：特发此证，以资鼓励。"]


@pytest.mark.parametrize("who", ["bob_unit_admin", "dan_district_admin", "dave_expert", "carol_applicant", "mallory"])
def test_only_the_committee_sees_or_changes_the_certificate_design(request, client_for, campaign, alice_committee, who):
    services.set_certificate_design(campaign=campaign, by=alice_committee, wording="原用语", seal=upload())
    sheet = AwardSheet.objects.get(campaign=campaign)
    designs = AuditEntry.objects.filter(action="awards.certificate_design")
    before = (sheet.certificate_wording, sheet.seal.name, designs.count())
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.set_certificate_design(campaign=campaign, by=user, wording="伪造", seal=upload())
    client = client_for(user)
    assert client.get(design_url(campaign)).status_code == 403
    assert client.get(reverse("console:awards_seal")).status_code == 403
    assert client.post(design_url(campaign), {"wording": "伪造", "seal": upload()}).status_code == 403
    sheet.refresh_from_db()
    assert (sheet.certificate_wording, sheet.seal.name, designs.count()) == before


def test_anonymous_is_sent_to_sign_in(client, campaign, alice_committee):
    services.set_certificate_design(campaign=campaign, by=alice_committee, wording="原用语", seal=upload())
    for url in (design_url(campaign), reverse("console:awards_seal")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(design_url(campaign), {"wording": "伪造"}).status_code == 302
    assert AwardSheet.objects.get(campaign=campaign).certificate_wording == "原用语"


def red_pixels(png: Image.Image, box) -> int:
    region = png.convert("RGB").crop(box)
    return sum(1 for r, g, b in region.get_flattened_data() if r > 150 and g < 110 and b < 110)


def paper_pixels(png: Image.Image, box) -> int:
    """Pixels of the scan's off-white paper (248, 247, 243), as a printed seal square would show."""
    return sum(1 for r, g, b in png.convert("RGB").crop(box).get_flattened_data() if 240 <= r <= 250 and abs(r - b) < 8)


def test_the_certificate_prints_the_seal_and_the_wording(published, campaign, alice_committee, tmp_path):
    """Rendered to PNG with pdftoppm: the seal's red ink sits over the issuer and the date
    (lower right), where a certificate without a seal has none; the scan's paper is not printed."""
    award = Award.objects.get(project=published[0])
    exporter = get_exporter("certificate.pdf")

    def render(name):
        award.sheet.refresh_from_db()
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(exporter.render(award, user=alice_committee).content)
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", str(path), str(tmp_path / name)], check=True)
        return Image.open(tmp_path / f"{name}.png")

    plain = render("plain")
    services.set_certificate_design(
        campaign=campaign, by=alice_committee, wording="特发此证，以资鼓励，再接再厉。",
        seal=upload("scan.jpg", scanned_seal(), "image/jpeg"),
    )  # fmt: skip
    sealed = render("sealed")
    width, height = sealed.size
    lower_right = (int(width * 0.45), int(height * 0.6), int(width * 0.9), int(height * 0.9))  # inside the frame
    assert red_pixels(plain, lower_right) == 0
    assert red_pixels(sealed, lower_right) > 1000
    # The scan's off-white paper became transparent: no light-grey square around the seal.
    assert paper_pixels(sealed, lower_right) - paper_pixels(plain, lower_right) < 100
    from pypdf import PdfReader

    text = PdfReader(tmp_path / "sealed.pdf").pages[0].extract_text().replace(" ", "").replace("\n", "")
    assert "特发此证，以资鼓励，再接再厉。" in text
    sealed.save("/tmp/wuxiao-certificate-sealed.png")
