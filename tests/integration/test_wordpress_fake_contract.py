"""The fake WordPress (tests/fakes/wordpress_api.py) answers in the documented shapes (/work/shared/reference/
wordpress-api.md, WP-API/docs), so what backbone's client is tested against is what a real site sends."""
from __future__ import annotations

import requests

from tests.fakes.wordpress_api import FakeWordPress

AUTH = ("redaktor", "abcd EFGH 1234 ijkl MNOP 5678")


def test_the_index_posts_categories_and_media_have_the_documented_fields():
    with FakeWordPress() as wp:
        term = wp.add_category("Collective Impact Samarbeten")
        index = requests.get(wp.url + "/wp-json/", auth=AUTH, timeout=10)
        assert index.headers["Content-Type"].startswith("application/json") and "wp/v2" in index.json()["namespaces"]
        found = requests.get(wp.url + "/wp-json/wp/v2/categories", params={"search": "Collective", "per_page": 100},
                             auth=AUTH, timeout=10)
        assert found.headers["X-WP-Total"] == "1" and found.headers["X-WP-TotalPages"] == "1"
        assert {"id", "name", "slug", "taxonomy", "parent", "count"} <= set(found.json()[0]) and found.json()[0]["id"] == term
        too_many = requests.get(wp.url + "/wp-json/wp/v2/categories", params={"per_page": 101}, auth=AUTH, timeout=10)
        assert too_many.status_code == 400 and too_many.json()["code"] == "rest_invalid_param"
        made = requests.post(wp.url + "/wp-json/wp/v2/posts", json={"title": "T", "content": "<p>x</p>", "status": "draft",
                                                                    "categories": [term]}, auth=AUTH, timeout=10)
        assert made.status_code == 201
        post = made.json()
        assert {"id", "link", "status", "title", "content", "categories"} <= set(post) and post["status"] == "draft"
        assert post["title"]["raw"] == "T" and post["content"]["raw"] == "<p>x</p>" and post["categories"] == [term]
        updated = requests.post(f"{wp.url}/wp-json/wp/v2/posts/{post['id']}", json={"title": "U"}, auth=AUTH, timeout=10)
        assert updated.status_code == 200 and updated.json()["id"] == post["id"] and updated.json()["title"]["raw"] == "U"
        missing = requests.post(wp.url + "/wp-json/wp/v2/posts/999999", json={"title": "U"}, auth=AUTH, timeout=10)
        assert missing.status_code == 404 and missing.json() == {"code": "rest_post_invalid_id", "message": "Invalid post ID.",
                                                                  "data": {"status": 404}}
        bad_status = requests.post(wp.url + "/wp-json/wp/v2/posts", json={"status": "published"}, auth=AUTH, timeout=10)
        assert bad_status.status_code == 400
        media = requests.post(wp.url + "/wp-json/wp/v2/media", data=b"%PDF-1.4",
                              headers={"Content-Type": "application/pdf",
                                       "Content-Disposition": 'attachment; filename="CI-workshop-2.pdf"'},
                              auth=AUTH, timeout=10)
        assert media.status_code == 201 and {"id", "source_url", "mime_type"} <= set(media.json())
        assert media.json()["source_url"].endswith("/wp-content/uploads/2021/05/CI-workshop-2.pdf")
        again = requests.get(f"{wp.url}/wp-json/wp/v2/media/{media.json()['id']}", auth=AUTH, timeout=10)
        assert again.status_code == 200 and again.json()["source_url"] == media.json()["source_url"]
        gone = requests.get(f"{wp.url}/wp-json/wp/v2/media/999999", auth=AUTH, timeout=10)
        assert gone.status_code == 404 and gone.json()["code"] == "rest_post_invalid_id"
        undisposed = requests.post(wp.url + "/wp-json/wp/v2/media", data=b"x", auth=AUTH, timeout=10)
        assert undisposed.status_code == 400 and undisposed.json()["code"] == "rest_upload_no_content_disposition"


def test_application_passwords_and_the_faults():
    with FakeWordPress() as wp:
        assert requests.get(wp.url + "/wp-json/", auth=("redaktor", "abcdEFGH1234ijklMNOP5678"), timeout=10).ok  # spaces ignored
        wrong = requests.get(wp.url + "/wp-json/", auth=("redaktor", "fel"), timeout=10)
        assert wrong.status_code == 401 and wrong.json()["code"] == "incorrect_password"
        wp.fail(429, retry_after="3")
        busy = requests.get(wp.url + "/wp-json/", auth=AUTH, timeout=10)
        assert busy.status_code == 429 and busy.headers["Retry-After"] == "3"
        assert requests.get(wp.url + "/wp-json/", auth=AUTH, timeout=10).ok
        wp.mode = "no_api"
        gone = requests.get(wp.url + "/wp-json/", auth=AUTH, timeout=10)
        assert gone.status_code == 404 and gone.headers["Content-Type"].startswith("text/html")
        wp.mode = "security_plugin"
        blocked = requests.get(wp.url + "/wp-json/", auth=AUTH, timeout=10)
        assert blocked.status_code == 200 and blocked.headers["Content-Type"].startswith("text/html")
