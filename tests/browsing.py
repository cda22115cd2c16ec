"""Browser tests' one way to open a page, sign in through the form and take a screenshot."""

from pathlib import Path

from tests.factories import PASSWORD


def new_page(browser, *, width: int = 1366, height: int = 900):
    """A fresh context and page: Chinese locale, the given viewport, script errors printed."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on("pageerror", lambda error: print("PAGEERROR", error))
    return context, page


def fill_sign_in(page, live_server, username: str, password: str = PASSWORD) -> None:
    """Sign in on `page` through the sign-in form, as a person does; returns once the form
    has led on to the next page (a wrong password times out here, naming the form)."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def sign_in(browser, live_server, username: str, *, width: int = 1366, height: int = 900):
    """A new page signed in as `username`: (context, page); close the context when done."""
    context, page = new_page(browser, width=width, height=height)
    fill_sign_in(page, live_server, username)
    return context, page


def shot(page, folder: Path, name: str) -> Path:
    """The whole page as folder/name.png, for a person to look at."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path
