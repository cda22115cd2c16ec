"""The deadline rush, for locust (run by scripts/bench_rush.py, which sets the environment).

Each simulated applicant signs in once with its own account, then loops: the submission flow
(open 新建项目, create the draft, open the 申报表, [autosave it, upload a small attachment,]
submit, see 已提交) and, in the `rush` mix, some browsing. Every request goes to a server
picked at random from WUXIAO_RUSH_HOSTS: no sticky sessions. What each flow created and
submitted is written to WUXIAO_RUSH_LOG so the runner can check nothing was lost or doubled.

Environment: WUXIAO_RUSH_HOSTS (comma-separated base URLs), WUXIAO_RUSH_ACCOUNTS (usernames),
WUXIAO_RUSH_PASSWORD, WUXIAO_RUSH_MIX (`submit`: the five-request flow; `rush`: autosave,
upload and browsing too), WUXIAO_RUSH_LOG (a JSON file written when the run stops).
"""

import itertools
import json
import os
import random
import re
import time
import uuid
from http.cookiejar import DefaultCookiePolicy

from locust import constant, events, task
from locust.contrib.fasthttp import FastHttpUser
from rush_form import application_form

HOSTS = os.environ.get("WUXIAO_RUSH_HOSTS", "http://127.0.0.1:8110").split(",")
ACCOUNTS = os.environ.get("WUXIAO_RUSH_ACCOUNTS", "").split(",")
PASSWORD = os.environ.get("WUXIAO_RUSH_PASSWORD", "")
MIX = os.environ.get("WUXIAO_RUSH_MIX", "rush")
LOG = os.environ.get("WUXIAO_RUSH_LOG", "")

_accounts = itertools.cycle(ACCOUNTS)
# What happened, for the check afterwards: project id → what the client saw.
RESULTS = {"created": [], "submitted": [], "attachments": {}, "flows": 0}

# A one-page PDF (what pypdf writes for a blank page), small enough for a rush.
PDF = (
    b"%PDF-1.3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << >> >>\nendobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \n"
    b"trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n206\n%%EOF\n"
)
VERSION = re.compile(r'name="version"[^>]*?value="(\d+)"')
UNIT = re.compile(r'name="unit"[^>]*>\s*<option value="(\d+)"')
EDIT = re.compile(r"/me/projects/(\d+)/edit/$")


class LoopbackCookies(DefaultCookiePolicy):
    """The production cookies are Secure; the bench talks plain HTTP to gunicorn on the
    loopback and says X-Forwarded-Proto: https, as nginx would after TLS."""

    def return_ok_secure(self, cookie, request):
        return True

    def set_ok_port(self, cookie, request):
        return True


class Failed(Exception):
    pass


class Applicant(FastHttpUser):
    host = HOSTS[0]
    wait_time = constant(0)

    def on_start(self):
        self.client.cookiejar.set_policy(LoopbackCookies())
        self.username = next(_accounts)
        self.projects: list[int] = []
        page = self.call("GET", "/accounts/login/", expect=200)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.call(
            "POST",
            "/accounts/login/",
            data={"csrfmiddlewaretoken": token, "username": self.username, "password": PASSWORD},
            expect=302,
            name="sign in",
        )

    # -- one request ---------------------------------------------------------------------

    def call(self, method, path, *, data=None, body=None, content_type=None, expect=200, name=None, extra=None):
        base = random.choice(HOSTS)
        headers = {"X-Forwarded-Proto": "https", "Referer": base.replace("http://", "https://") + path}
        if method == "POST":
            token = next((c.value for c in self.client.cookiejar if c.name == "csrftoken"), "")
            headers["X-CSRFToken"] = token
        if content_type:
            headers["Content-Type"] = content_type
        if extra:
            headers.update(extra)
        payload = body if body is not None else data
        with self.client.request(
            method,
            base + path,
            name=name or path,
            data=payload,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != expect:
                response.failure(f"{method} {path}: HTTP {response.status_code}, expected {expect}")
                raise Failed(path)
            response.success()
            return response

    # -- the submission flow ---------------------------------------------------------------

    def form(self, name: str) -> dict:
        return application_form(name, self.real_name)

    @task(4)
    def submission_flow(self):
        started = time.perf_counter()
        try:
            page = self.call("GET", "/me/projects/new/", name="new project")
            unit = UNIT.search(page.text).group(1)
            name = f"冲刺项目{uuid.uuid4().hex[:8]}"
            created = self.call(
                "POST",
                "/me/projects/new/",
                data={"name": name, "unit": unit, "entry_route": "registration"},
                expect=302,
                name="create draft",
            )
            pk = int(EDIT.search(created.headers["Location"]).group(1))
            RESULTS["created"].append(pk)
            page = self.call("GET", f"/me/projects/{pk}/edit/", name="open 申报表")
            self.real_name = re.search(r'name="leader_name"[^>]*value="([^"]*)"', page.text).group(1)
            version = VERSION.search(page.text).group(1)
            data = self.form(name)
            if MIX == "rush":
                saved = self.call(
                    "POST",
                    f"/me/projects/{pk}/autosave/",
                    data={**data, "commitment_name": "", "version": version},
                    extra={"HX-Request": "true"},
                    name="autosave",
                )
                version = saved.headers["X-Draft-Saved"]
                boundary = uuid.uuid4().hex
                body = (
                    (
                        f'--{boundary}\r\nContent-Disposition: form-data; name="version"\r\n\r\n{version}\r\n'
                        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="说明.pdf"\r\n'
                        f"Content-Type: application/pdf\r\n\r\n"
                    ).encode()
                    + PDF
                    + f"\r\n--{boundary}--\r\n".encode()
                )
                uploaded = self.call(
                    "POST",
                    f"/me/projects/{pk}/attachments/add/",
                    body=body,
                    content_type=f"multipart/form-data; boundary={boundary}",
                    extra={"HX-Request": "true"},
                    name="upload attachment",
                )
                if "alert-danger" in uploaded.text:
                    raise Failed("upload refused")
                RESULTS["attachments"][pk] = RESULTS["attachments"].get(pk, 0) + 1
                version = VERSION.search(uploaded.text).group(1)
            done = self.call(
                "POST",
                f"/me/projects/{pk}/edit/",
                data={**data, "version": version, "action": "submit"},
                expect=302,
                name="submit",
            )
            if not done.headers["Location"].endswith(f"/me/projects/{pk}/"):
                raise Failed(f"submit went to {done.headers['Location']}")
            RESULTS["submitted"].append(pk)
            shown = self.call("GET", f"/me/projects/{pk}/", name="see 已提交")
            if "已提交" not in shown.text:
                raise Failed("detail does not say 已提交")
        except Failed:
            return
        self.projects.append(pk)
        RESULTS["flows"] += 1
        events.request.fire(
            request_type="FLOW",
            name="submission flow",
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=None,
            context={},
        )

    @task(1)
    def browse(self):
        if MIX != "rush":
            return self.submission_flow()
        try:
            self.call("GET", "/me/", name="dashboard")
            self.call("GET", "/me/projects/", name="my projects")
            if self.projects:
                self.call("GET", f"/me/projects/{random.choice(self.projects)}/", name="project detail")
            self.call("GET", "/", name="public home")
        except Failed:
            return


@events.test_stop.add_listener
def write_log(environment, **kwargs):
    """After every user stopped (flows in flight finish within --stop-timeout): what the
    clients saw, and the statistics over the whole run."""
    stats = environment.stats
    span = max(0.001, stats.total.last_request_timestamp - stats.total.start_time)
    RESULTS["span_s"] = round(span, 2)
    RESULTS["steps"] = [
        {
            "name": entry.name,
            "type": entry.method,
            "count": entry.num_requests,
            "failures": entry.num_failures,
            "per_s": round(entry.num_requests / span, 2),
            "p50": entry.get_response_time_percentile(0.5) or 0,
            "p95": entry.get_response_time_percentile(0.95) or 0,
        }
        for entry in sorted(stats.entries.values(), key=lambda e: (e.method != "FLOW", e.name))
    ]
    RESULTS["errors"] = [f"{e.method} {e.name}: {e.error} ×{e.occurrences}" for e in stats.errors.values()]
    if LOG:
        with open(LOG, "w") as out:
            json.dump(RESULTS, out, ensure_ascii=False)
