"""The front-end files come from node_modules through VendorFinder: each one a page asks
for is offered, the files they refer to (source maps, icon fonts) too, and nothing else."""

import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

from wuxiao.lib.staticfinders import VENDOR

TEMPLATES = Path(settings.BASE_DIR) / "wuxiao"


def vendor_paths_in_templates() -> set[str]:
    found = set()
    for template in TEMPLATES.rglob("*.html"):
        found |= set(re.findall(r"""\{%\s*static\s+['"](vendor/[^'"]+)['"]""", template.read_text(encoding="utf-8")))
    return found


def test_every_vendor_file_a_template_loads_is_found():
    wanted = vendor_paths_in_templates()
    assert {"vendor/echarts/echarts.min.js", "vendor/htmx/htmx.min.js"} <= wanted
    for path in wanted:
        assert finders.find(path), f"{path} is used by a template but VendorFinder does not offer it"


def test_collectstatic_takes_the_listed_files_only_and_resolves_their_references(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STATICFILES_DIRS = []
    settings.STATICFILES_FINDERS = ["wuxiao.lib.staticfinders.VendorFinder"]
    # The manifest storage follows each url() and sourceMappingURL and fails on a missing one.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    collected = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    listed = {f"{prefix}/{name}" for prefix, (_folder, files) in VENDOR.items() for name in files}
    assert listed <= collected
    assert not any("echarts.esm" in p or p.endswith("echarts.js") for p in collected)
    total = sum(p.stat().st_size for p in tmp_path.rglob("*") if p.is_file())
    assert total < 10 * 1024 * 1024, f"{total / 1e6:.0f} MB of vendor files"


def test_an_unlisted_file_is_not_offered():
    assert not finders.find("vendor/echarts/echarts.js")
    assert not finders.find("vendor/bootstrap/css/bootstrap.css")
