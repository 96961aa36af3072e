"""`backbone publish WORKSHOP`: the example's recap as a WordPress draft on a loopback fake WordPress
(tests/fakes/wordpress_api.py): one draft however often it runs, the seed recap paragraph by paragraph, and every
fault one Swedish line with exit 2 or 1, the password never shown."""
from __future__ import annotations

import html

import openpyxl
import pytest

from sync.entry.cli.main import main
from tests.e2e.test_cli_example import seed_paragraphs
from tests.e2e.test_html_recap import without_slides_link
from tests.fakes.wordpress_api import FakeWordPress
from tests.html_blocks import blocks, links

PASSWORD = "abcd EFGH 1234 ijkl MNOP 5678"
CATEGORY = "Collective Impact Samarbeten"


@pytest.fixture
def wp(example, monkeypatch):
    with FakeWordPress(users={"redaktor": PASSWORD}) as fake:
        fake.add_category("Annat")
        fake.add_category(CATEGORY)
        for name, value in (("URL", fake.url), ("USER", "redaktor"), ("APP_PASSWORD", PASSWORD), ("CATEGORY", CATEGORY)):
            monkeypatch.setenv(f"BACKBONE_WORDPRESS_{name}", value)
        monkeypatch.setenv("BACKBONE_HTTP_RETRIES", "2")
        yield fake


def post_paragraphs(post: dict) -> list[str]:
    """The draft as WordPress holds it, read back: its title, then its content's blocks."""
    return [" ".join(html.unescape(post["title"]).split())] + blocks(post["content"], fragment=True)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_publishing_twice_leaves_one_draft_holding_the_seed_recap(wp, capsys):
    assert main(["sync"]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "publish", "ci2")
    assert code == 0 and out.startswith("Skrev utkast ")
    code, out, _ = run(capsys, "publish", "ci2")
    assert code == 0 and out.startswith("Uppdaterade utkast ")
    assert len(wp.posts) == 1
    post = next(iter(wp.posts.values()))
    assert post["status"] == "draft"
    assert post["categories"] == [next(i for i, c in wp.categories.items() if c["name"] == CATEGORY)]
    assert without_slides_link(post_paragraphs(post)) == seed_paragraphs()
    assert "style=" not in post["content"] and "<h1" not in post["content"] and "<article" not in post["content"]
    assert [r.path for r in wp.api_requests("POST")] == ["/wp-json/wp/v2/posts", f"/wp-json/wp/v2/posts/{post['id']}"]


def test_a_dry_run_prints_what_would_be_sent_and_sends_nothing(wp, capsys):
    code, out, _ = run(capsys, "publish", "ci2", "--dry-run")
    assert code == 0 and wp.requests == []
    assert f"POST {wp.url}/wp-json/wp/v2/posts" in out and "status: draft" in out
    assert "<h2>Övning 1." in out and PASSWORD not in out


def slides_beside_the_sheet(example, name: str = "CI-workshop-2.pdf", content: bytes = b"%PDF-1.4 bilderna") -> None:
    """The slides as a file beside the sheet, named in ci2's Bilder cell."""
    (example / name).write_bytes(content)
    book = openpyxl.load_workbook(example / "plan.xlsx")
    sheet = book["Workshops"]
    column = [c.value for c in sheet[1]].index("Bilder") + 1
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "ci2")
    sheet.cell(row, column).value = name
    book.save(example / "plan.xlsx")


def test_slides_named_as_a_local_file_are_uploaded_and_linked(wp, example, capsys):
    slides_beside_the_sheet(example)
    code, out, err = run(capsys, "publish", "ci2")
    assert code == 0, err
    (media,) = wp.media.values()
    assert media["mime_type"] == "application/pdf" and media["size"] == len(b"%PDF-1.4 bilderna")
    (post,) = wp.posts.values()
    assert media["source_url"] in links(post["content"], fragment=True)


def test_the_same_slides_are_uploaded_once_and_again_only_when_changed_or_deleted(wp, example, capsys):
    """A coordinator publishes after each fix of the recap: the media library must not fill with copies."""
    slides_beside_the_sheet(example)
    for _ in range(3):
        assert run(capsys, "publish", "ci2")[0] == 0
    (first,) = wp.media
    (post,) = wp.posts.values()
    assert wp.media[first]["source_url"] in links(post["content"], fragment=True)

    (example / "CI-workshop-2.pdf").write_bytes("%PDF-1.4 bilderna, rättade".encode())
    assert run(capsys, "publish", "ci2")[0] == 0
    second = max(wp.media)
    assert len(wp.media) == 2 and wp.media[second]["size"] == len("%PDF-1.4 bilderna, rättade".encode())
    assert wp.media[second]["source_url"] in links(wp.posts[post["id"]]["content"], fragment=True)

    del wp.media[second]  # someone tidied the media library in WordPress
    assert run(capsys, "publish", "ci2")[0] == 0
    third = max(wp.media)
    assert third != second and wp.media[third]["source_url"] in links(wp.posts[post["id"]]["content"], fragment=True)
    assert [r.path for r in wp.api_requests("POST")].count("/wp-json/wp/v2/media") == 3
    code, out, _ = run(capsys, "publish", "ci2", "--dry-run")
    assert code == 0 and f"bilder: media {third} från en tidigare publicering" in out and "/wp/v2/media:" not in out


def test_a_post_a_person_published_is_left_alone(wp, capsys):
    assert run(capsys, "publish", "ci2")[0] == 0
    (post,) = wp.posts.values()
    post["status"] = "publish"
    code, _, err = run(capsys, "publish", "ci2")
    assert code == 2 and "inte längre ett utkast" in err and len(err.strip().split("\n")) == 1
    assert post["status"] == "publish" and len(wp.posts) == 1


@pytest.mark.parametrize("fault, code, said", [
    ("password", 2, "BACKBONE_WORDPRESS_APP_PASSWORD"),
    ("no_api", 2, "inget REST-API"),
    ("security_plugin", 2, "säkerhetstillägg"),
    ("busy", 1, "försök igen senare"),
    ("category", 2, "ingen kategori"),
    ("http", 2, "https"),
    ("unset", 2, "BACKBONE_WORDPRESS_USER"),
])
def test_each_fault_is_one_swedish_line_and_nothing_is_created(wp, capsys, monkeypatch, fault, code, said):
    if fault == "password":
        monkeypatch.setenv("BACKBONE_WORDPRESS_APP_PASSWORD", "fel lösen")
    elif fault in ("no_api", "security_plugin"):
        wp.mode = fault
    elif fault == "busy":
        wp.fail(503, times=5)
    elif fault == "category":
        monkeypatch.setenv("BACKBONE_WORDPRESS_CATEGORY", "Finns inte")
    elif fault == "http":
        monkeypatch.setenv("BACKBONE_WORDPRESS_URL", "http://example.org")
    elif fault == "unset":
        monkeypatch.setenv("BACKBONE_WORDPRESS_USER", "")
    got, out, err = run(capsys, "publish", "ci2")
    assert got == code and out == ""
    assert err.startswith("backbone: fel: ") and said in err and len(err.strip().split("\n")) == 1, err
    assert "Traceback" not in err and PASSWORD not in err and "fel lösen" not in err
    assert wp.posts == {} and wp.media == {}


def test_a_busy_moment_is_retried(wp, capsys):
    wp.fail(429, times=1)
    code, out, _ = run(capsys, "publish", "ci2")
    assert code == 0 and len(wp.posts) == 1
    assert [r.status for r in wp.requests][:2] == [429, 200]


def test_an_upload_whose_post_failed_is_named_with_its_id(wp, example, capsys, monkeypatch):
    slides_beside_the_sheet(example, "b.pdf", b"%PDF")
    original = wp._save
    monkeypatch.setattr(wp, "_save", lambda post_id, body: wp._error(500, "db_error", "Database down") if post_id is None
                        else original(post_id, body))
    code, _, err = run(capsys, "publish", "ci2")
    (media_id,) = wp.media
    assert code == 1 and f"media {media_id}" in err and wp.posts == {}


def test_the_settings_never_show_the_application_password(wp, capsys):
    code, out, _ = run(capsys, "settings")
    assert code == 0 and "BACKBONE_WORDPRESS_APP_PASSWORD=********" in out and PASSWORD not in out
