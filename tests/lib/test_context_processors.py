"""The layout's navigation links (wuxiao.lib.context_processors.nav): reversed once per
process and script prefix, and the same links the `{% url %}` tags gave."""

from django.urls import reverse, set_script_prefix

from wuxiao.lib.context_processors import NAV, nav


def test_every_link_is_its_views_url():
    urls = nav(None)["nav_urls"]
    assert urls == {key: reverse(name) for key, name in NAV.items()}
    assert urls["projects"] == "/me/projects/"


def test_a_site_under_a_prefix_links_under_it():
    try:
        set_script_prefix("/wuxiao/")
        assert nav(None)["nav_urls"]["projects"] == "/wuxiao/me/projects/"
    finally:
        set_script_prefix("/")
    assert nav(None)["nav_urls"]["projects"] == "/me/projects/"


def test_the_layout_links_to_them(client, carol_applicant):
    client.force_login(carol_applicant)
    html = client.get(reverse("portal:projects")).content.decode()
    for key in ("home", "salons", "certificate_check", "dashboard", "projects", "my_work", "inbox", "profile"):
        assert f'href="{reverse(NAV[key])}"' in html, key
    assert f'action="{reverse("logout")}"' in html


def test_a_visitor_is_offered_the_sign_in(client, db):
    html = client.get(reverse("showcase:home")).content.decode()
    assert f'href="{reverse("login")}"' in html
