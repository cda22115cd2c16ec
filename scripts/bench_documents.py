#!/usr/bin/env python
"""Benchmark the official documents: one 申报表 (docx, PDF), a 10,000-row 汇总表 and a
200-project 案例集 (PDF, docx).

    .venv/bin/python scripts/bench_documents.py [--rows 10000] [--booklet 200] [--images 1]

Builds a throw-away SQLite database under var/bench/ (bulk inserts), then runs every case
twice, each time in a fresh process so each peak is its own: once for the wall time and the
process's peak resident memory (getrusage; includes WeasyPrint's C libraries), once under
tracemalloc for the Python heap peak (tracing slows Python down, so it is not timed).
Libraries are imported before the clock starts. "cpu s" is the process's own CPU time, which a
busy shared machine inflates less than the wall time; "max RSS" is the process's VmHWM (not
getrusage's ru_maxrss: a child started by posix_spawn/vfork inherits the parent's peak as its
own, so every case showed at least this script's 160 MB); children (pdfunite) are not in it; form.pdf.warm is a second form drawn in
the same process (fonts and stylesheets cached, as in a running worker or web process).
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "var" / "bench"
sys.path.insert(0, str(ROOT))


def django_setup():
    os.environ["DJANGO_SETTINGS_MODULE"] = "wuxiao.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{BENCH / 'bench.sqlite3'}"
    os.environ["WUXIAO_MEDIA_ROOT"] = str(BENCH / "media")
    os.environ["WUXIAO_TASKS_BACKEND"] = "immediate"
    import django

    django.setup()


LOREM = (
    "原有工艺依靠人工上下料，节拍慢且存在安全隐患。攻关小组设计气动送料机构与限位装置，"
    "经三轮试制和现场验证，实现棒料自动送进，单班产量提高约百分之二十，年节约成本可观。"
)


def build(rows: int, booklet: int, images: int) -> None:
    import io
    from datetime import date, datetime
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from PIL import Image

    from tests.factories import UserFactory, campaign_2024, grant, make_org
    from wuxiao.campaigns.models import Participation
    from wuxiao.campaigns.services import committee_organisation
    from wuxiao.people.models import Organisation, OrgKind
    from wuxiao.projects.models import Attachment, FilePurpose, Project, StoredFile, TeamMember

    call_command("migrate", verbosity=0)
    campaign = campaign_2024()
    committee = committee_organisation()
    office = UserFactory(username="bench-office", real_name="莫飘")
    grant(office, committee)
    leader = UserFactory(username="bench-leader", real_name="韦小敏")
    districts = list(Organisation.objects.filter(parent=committee)[:5])
    units = []
    for i in range(50):
        unit = make_org(f"示例第{i + 1}制造有限公司团委", OrgKind.ENTERPRISE, districts[i % len(districts)])
        Participation.objects.create(
            campaign=campaign, organisation=unit, young_workers=100 + 37 * i, reporter_name="黄小军",
            reporter_phone="13877200001",
        )  # fmt: skip
        units.append(unit)
    at = datetime(2025, 2, 20, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    projects = [
        Project(
            campaign=campaign,
            unit=units[i % len(units)],
            leader=leader,
            created_by=leader,
            name=f"数控车床自动送料装置的改进（第{i + 1}号）",
            economic_benefit=Decimal(i % 97) + Decimal("0.50"),
            category=["机械", "化工", "电子", "通信", "建设", "医药", "仪器"][i % 7],
            achievement_form="小改造",
            leader_name="韦小敏",
            leader_gender="M",
            leader_birth_date=date(1996, 8, 15),
            leader_education="bachelor",
            leader_phone="13877212345",
            start_date=date(2024, 6, 1),
            end_date=date(2024, 12, 31),
            patent_eligible=True,
            patent_filed=False,
            patent_willing=True,
            reason=LOREM,
            content=LOREM * 3,
            measures=LOREM * 2,
            benefits=LOREM,
            commitment_name="韦小敏",
            commitment_at=at,
            submitted_at=at,
            state="forwarded",
            level="key",
            self_grade="ABC"[i % 3],
            forwarded_at=at,
        )
        for i in range(rows)
    ]
    Project.objects.bulk_create(projects, batch_size=2000)
    first = list(Project.objects.order_by("id").values_list("id", flat=True)[:booklet])
    TeamMember.objects.bulk_create(
        TeamMember(
            project_id=pid, name=f"成员{k}", gender="M", birth_date=date(1995, 1, 1), education="college", order=k
        )
        for pid in first
        for k in range(3)
    )
    photo = io.BytesIO()
    Image.effect_noise((1600, 1200), 60).convert("RGB").save(photo, "JPEG", quality=85)
    for pid in first:
        for k in range(images):
            stored = StoredFile(
                project_id=pid,
                purpose=FilePurpose.ATTACHMENT,
                name=f"现场照片{k + 1}.jpg",
                content_type="image/jpeg",
                size=len(photo.getvalue()),
                uploaded_by=leader,
            )
            stored.file.save(f"p{pid}-{k}.jpg", ContentFile(photo.getvalue()), save=False)
            stored.save()
            Attachment.objects.create(project_id=pid, stored=stored)
    (BENCH / "ids.json").write_text(json.dumps({"first": first, "committee": committee.pk, "campaign": campaign.pk}))


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM), where /proc has it."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run_case(case: str, *, trace: bool) -> dict:
    import docx  # noqa: F401
    import openpyxl  # noqa: F401
    import weasyprint  # noqa: F401
    from django.contrib.auth import get_user_model

    from wuxiao.campaigns.models import Campaign
    from wuxiao.documents.queries import form_project
    from wuxiao.documents.registry import get_exporter
    from wuxiao.people.models import Organisation

    ids = json.loads((BENCH / "ids.json").read_text())
    office = get_user_model().objects.get(username="bench-office")
    campaign = Campaign.objects.get(pk=ids["campaign"])
    if case == "form.pdf.warm":
        # A worker or web process that has drawn one form already: fonts and styles are cached.
        get_exporter("project_form.pdf").render(form_project(ids["first"][1]), user=office)
        case = "form.pdf"
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    cpu_started = time.process_time()
    if case in ("form.docx", "form.pdf"):
        out = get_exporter(f"project_{case}").render(form_project(ids["first"][0]), user=office)
    elif case == "summary.xlsx":
        committee = Organisation.objects.get(pk=ids["committee"])
        out = get_exporter("summary.xlsx").render(committee, user=office, params={"campaign": campaign.pk})
    else:
        out = get_exporter(case).render(
            campaign, user=office, params={"campaign": campaign.pk, "projects": ids["first"]}
        )
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    if trace:
        return {"python_peak_mb": round(tracemalloc.get_traced_memory()[1] / 2**20, 1)}
    if isinstance(out.content, bytes):
        (BENCH / out.filename).write_bytes(out.content)
        size = len(out.content)
    else:  # a large document comes as an open file (the booklet PDF)
        with out.content as source, (BENCH / out.filename).open("wb") as target:
            shutil.copyfileobj(source, target)
        size = (BENCH / out.filename).stat().st_size
    return {
        "case": case,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "max_rss_mb": peak_rss_mb(),
        "size_kb": round(size / 1024),
    }


CASES = ("form.docx", "form.pdf", "form.pdf.warm", "summary.xlsx", "booklet.docx", "booklet.pdf")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--booklet", type=int, default=200)
    parser.add_argument("--images", type=int, default=1, help="pictures per booklet project")
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated, of: " + ", ".join(CASES))
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        django_setup()
        print(json.dumps(run_case(args.case, trace=args.trace)))
        return
    if BENCH.exists():
        subprocess.run(["rm", "-rf", str(BENCH)], check=True)
    BENCH.mkdir(parents=True)
    django_setup()
    started = time.perf_counter()
    build(args.rows, args.booklet, args.images)
    print(f"data: {args.rows} forwarded projects, booklet of {args.booklet} with {args.images} picture(s) each "
          f"({time.perf_counter() - started:.1f}s to build)")  # fmt: skip
    print(f"load average {os.getloadavg()[0]:.1f} (a shared machine: compare runs side by side)")
    print(f"{'case':<14}{'seconds':>9}{'cpu s':>8}{'py peak MB':>12}{'max RSS MB':>12}{'size KB':>10}")
    for case in args.cases.split(","):
        r = {}
        for extra in ([], ["--trace"]):
            run = subprocess.run(
                [sys.executable, __file__, "--case", case, *extra], capture_output=True, text=True, check=True
            )
            r.update(json.loads(run.stdout.strip().splitlines()[-1]))
        label = case if case.endswith(".warm") else r["case"]
        print(f"{label:<14}{r['seconds']:>9}{r['cpu_seconds']:>8}{r['python_peak_mb']:>12}{r['max_rss_mb']:>12}"
              f"{r['size_kb']:>10}  (load {os.getloadavg()[0]:.1f})")  # fmt: skip


if __name__ == "__main__":
    main()
