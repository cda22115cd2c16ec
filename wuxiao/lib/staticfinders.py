"""The front-end files the pages use from node_modules, and only those.

npm installs whole distributions (echarts alone ships 46 MB of builds for every module
system, with source maps); the pages load five files. Collecting the whole `dist` folders
made `collectstatic` copy, hash and compress 150 MB (about three minutes, in every deploy and
every benchmark run). This finder offers the listed files under their `vendor/…` names and
nothing else; a template that asks for a file not listed here fails `collectstatic`'s
manifest check, so the list cannot silently fall behind the pages.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Warning
from django.core.files.storage import FileSystemStorage

NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"

# prefix → (folder in node_modules, the files under it that the pages use or that those
# files refer to: source maps named in a sourceMappingURL, the icon fonts the CSS loads)
VENDOR = {
    "vendor/bootstrap": (
        "bootstrap/dist",
        [
            "css/bootstrap.min.css",
            "css/bootstrap.min.css.map",
            "js/bootstrap.bundle.min.js",
            "js/bootstrap.bundle.min.js.map",
        ],
    ),
    "vendor/bootstrap-icons": (
        "bootstrap-icons/font",
        ["bootstrap-icons.min.css", "fonts/bootstrap-icons.woff", "fonts/bootstrap-icons.woff2"],
    ),
    "vendor/htmx": ("htmx.org/dist", ["htmx.min.js"]),
    "vendor/echarts": ("echarts/dist", ["echarts.min.js"]),
}


class VendorFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storages = {}
        for prefix, (folder, _files) in VENDOR.items():
            storage = FileSystemStorage(location=NODE_MODULES / folder)
            storage.prefix = prefix
            self.storages[prefix] = storage

    def check(self, **kwargs):
        return [
            Warning(
                f"缺少前端文件 {NODE_MODULES / folder / name}",
                hint="运行 npm ci（make setup 会运行它）",
                id="wuxiao.W001",
            )
            for folder, files in VENDOR.values()
            for name in files
            if not (NODE_MODULES / folder / name).is_file()
        ]

    def find(self, path, find_all=False, **kwargs):
        find_all = find_all or kwargs.get("all", False)
        matches = []
        for prefix, (folder, files) in VENDOR.items():
            name = path.removeprefix(prefix + "/")
            if name != path and name in files:
                found = str(NODE_MODULES / folder / name)
                if not find_all:
                    return found
                matches.append(found)
        return matches

    def list(self, ignore_patterns):
        for prefix, (_folder, files) in VENDOR.items():
            for name in files:
                yield name, self.storages[prefix]
