from django.contrib.staticfiles import finders


def test_pages_name_a_favicon_that_is_served(client, db):
    text = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/wuxiao/favicon.svg"' in text
    assert finders.find("wuxiao/favicon.svg")
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/wuxiao/favicon.svg"
