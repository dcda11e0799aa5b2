"""Uploaded files through showreels.views.serve_media (and Wagtail's document view): public
files are cacheable, files of private pages go only to who may see the page, never cached
by others, and video can be sought with HTTP Range.
"""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.urls import reverse

from showreels.models import AccessPass
from tests import factories
from tests.conftest import built_once_per_module

PASSWORD = "media-shared-1"


def media_url(name):
    return "/media/" + name


def body_of(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def stored_bytes(name):
    return (Path(django_settings.MEDIA_ROOT) / name).read_bytes()


def assert_public(response):
    assert response["Cache-Control"] == f"public, max-age={django_settings.PUBLIC_MEDIA_MAX_AGE}"


def assert_private(response):
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def build_media():
    """A public film sheet and a private showreel sharing one photo, and their files."""
    site = factories.build_site()
    public_image = factories.ImageFactory(title="Harbour crane at dawn")
    shared_image = factories.ImageFactory(title="Used on both pages")
    private_image = factories.ImageFactory(title="Private set photo")
    unused_image = factories.ImageFactory(title="Still in the library")
    video = factories.VideoFactory(title="Private clip")
    public_doc = factories.DocumentFactory(title="Public press kit")
    private_doc = factories.DocumentFactory(title="Private call sheet")
    sheet = factories.FilmSheetPageFactory(
        parent=site["films"],
        key_image=public_image,
        synopsis=f'<p>Press kit: <a linktype="document" id="{public_doc.pk}">download</a></p>',
        body=[factories.gallery_block([shared_image])],
    )
    sheet.save_revision().publish()
    reel = factories.ShowreelPageFactory(
        parent=site["home"],
        intro=f'<p>Call sheet: <a linktype="document" id="{private_doc.pk}">here</a></p>',
        body=[
            factories.gallery_block([private_image, shared_image]),
            factories.video_block(video),
        ],
    )
    reel.save_revision().publish()
    factories.make_private(reel, password=PASSWORD)
    _access_pass, password = AccessPass.issue(label="Producer", page=reel)
    return {
        "password": password,
        **site,
        "sheet": sheet,
        "reel": reel,
        "public_image": public_image,
        "public_rendition": public_image.get_rendition("width-40"),
        "shared_image": shared_image,
        "private_image": private_image,
        "private_rendition": private_image.get_rendition("width-40"),
        "poster": video.poster,
        "poster_rendition": video.poster.get_rendition("width-40"),
        "unused_image": unused_image,
        "video": video,
        "public_doc": public_doc,
        "private_doc": private_doc,
    }


built_media = built_once_per_module(build_media)


@pytest.fixture
def media(db, built_media):
    """The module's pages and files; no test changes these objects, only database rows."""
    return built_media


@pytest.fixture
def granted(client, media):
    response = client.post(
        reverse("unlock_private_page", args=[media["reel"].pk]), {"password": media["password"]}
    )
    assert response.status_code == 302
    return client


def private_files(media):
    """What a pass holder of the showreel may fetch here: renditions and the document (the
    video plays from its signed stream, see test_private_video.py)."""
    return [
        media["private_rendition"].file.name,
        media["poster_rendition"].file.name,
        media["private_doc"].file.name,
    ]


def originals(media):
    return [media[key].file.name for key in ("public_image", "shared_image", "private_image")]


def test_public_renditions_are_cacheable_by_anyone(client, media):
    for name in (
        media["public_rendition"].file.name,
        media["shared_image"].get_rendition("width-40").file.name,
    ):
        response = client.get(media_url(name))
        assert response.status_code == 200, name
        assert_public(response)
        assert body_of(response) == stored_bytes(name)
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_image_on_a_public_and_a_private_page_stays_public(client, media):
    rendition = media["shared_image"].get_rendition("width-40")
    response = client.get(media_url(rendition.file.name))
    assert response.status_code == 200
    assert_public(response)


def test_originals_go_to_library_editors_only(client, granted, media, admin_user):
    for name in [*originals(media), media["poster"].file.name]:
        assert client.get(media_url(name)).status_code == 404, name  # the pass holder
    client.logout()
    for name in originals(media):
        assert client.get(media_url(name)).status_code == 404, name  # a visitor
    client.force_login(admin_user)
    for name in originals(media):
        response = client.get(media_url(name))
        assert response.status_code == 200, name
        assert_private(response)


def test_files_of_a_private_page_are_not_found_without_access(client, media):
    for name in private_files(media):
        for method in (client.get, client.head):
            response = method(media_url(name))
            assert response.status_code == 404, name
            assert stored_bytes(name) not in response.content


def test_files_of_a_private_page_reach_a_granted_viewer_privately(granted, media):
    for name in private_files(media):
        response = granted.get(media_url(name))
        assert response.status_code == 200, name
        assert_private(response)
        assert body_of(response) == stored_bytes(name)


def test_a_video_master_goes_to_its_editors_only_even_with_a_pass(granted, media):
    response = granted.get(media_url(media["video"].file.name))
    assert response.status_code == 404


def test_unused_library_image_is_only_for_editors(client, media, admin_user):
    name = media["unused_image"].file.name
    assert client.get(media_url(name)).status_code == 404
    client.force_login(admin_user)
    response = client.get(media_url(name))
    assert response.status_code == 200
    assert_private(response)


def test_editors_get_private_files_without_a_password(client, media, admin_user):
    client.force_login(admin_user)
    for name in [*private_files(media), media["private_image"].file.name]:
        response = client.get(media_url(name))
        assert response.status_code == 200, name
        assert_private(response)


def test_a_photo_goes_private_as_soon_as_its_only_page_does(client, media):
    name = media["public_rendition"].file.name
    assert client.get(media_url(name)).status_code == 200
    factories.make_private(media["sheet"])
    assert client.get(media_url(name)).status_code == 404


def test_unknown_and_outside_paths_are_not_found(client, media):
    stray = Path(django_settings.MEDIA_ROOT) / "stray-secret.txt"
    stray.write_text("not a library file")
    for path in (
        "original_images/does-not-exist.jpg",
        "images/does-not-exist.width-40.jpg",
        "videos/does-not-exist.webm",
        "documents/does-not-exist.pdf",
        "stray-secret.txt",
        "original_images/",
        "original_images/../stray-secret.txt",
        "original_images/%2e%2e/stray-secret.txt",
        "original_images/..%2fstray-secret.txt",
        "original_images/%252e%252e%252fstray-secret.txt",
        "images/..\\stray-secret.txt",
        "%2fetc%2fpasswd",
        "..%2f..%2f..%2fetc%2fpasswd",
    ):
        response = client.get("/media/" + path)
        assert response.status_code == 404, path
        assert b"not a library file" not in response.content
        assert b"root:" not in response.content


def test_master_range_request_answers_exactly_those_bytes(admin_client, media):
    name = media["video"].file.name
    data = stored_bytes(name)
    response = admin_client.get(media_url(name), HTTP_RANGE="bytes=100-199")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{len(data)}"
    assert response["Content-Length"] == "100"
    assert response["Accept-Ranges"] == "bytes"
    assert body_of(response) == data[100:200]
    assert_private(response)


def test_open_suffix_and_overlong_ranges_answer_the_bytes_they_cover(admin_client, media):
    name = media["video"].file.name
    data = stored_bytes(name)
    tail = admin_client.get(media_url(name), HTTP_RANGE=f"bytes={len(data) - 10}-")
    assert tail.status_code == 206
    assert body_of(tail) == data[-10:]
    suffix = admin_client.get(media_url(name), HTTP_RANGE="bytes=-5")
    assert suffix["Content-Range"] == f"bytes {len(data) - 5}-{len(data) - 1}/{len(data)}"
    assert body_of(suffix) == data[-5:]
    past_end = admin_client.get(media_url(name), HTTP_RANGE=f"bytes=0-{len(data) * 2}")
    assert past_end.status_code == 206
    assert body_of(past_end) == data


def test_unsatisfiable_range_answers_416(admin_client, media):
    name = media["video"].file.name
    size = len(stored_bytes(name))
    for header in (f"bytes={size}-", f"bytes={size + 100}-{size + 200}", "bytes=-0", "bytes=50-10"):
        response = admin_client.get(media_url(name), HTTP_RANGE=header)
        assert response.status_code == 416, header
        assert response["Content-Range"] == f"bytes */{size}"


def test_malformed_or_multiple_ranges_get_the_whole_file(admin_client, media):
    name = media["video"].file.name
    data = stored_bytes(name)
    for header in ("bytes=0-1,5-6", "items=0-5", "bytes=abc"):
        response = admin_client.get(media_url(name), HTTP_RANGE=header)
        assert response.status_code == 200, header
        assert body_of(response) == data


def test_range_on_a_private_video_without_access_is_not_found(client, media):
    response = client.get(media_url(media["video"].file.name), HTTP_RANGE="bytes=100-199")
    assert response.status_code == 404


def test_head_answers_headers_without_a_body(admin_client, media):
    name = media["video"].file.name
    response = admin_client.head(media_url(name))
    assert response.status_code == 200
    assert response["Content-Length"] == str(len(stored_bytes(name)))
    assert body_of(response) == b""


def test_nginx_mode_hands_the_file_to_the_web_server(admin_client, media, settings):
    settings.MEDIA_SERVE_METHOD = "nginx"
    name = media["video"].file.name
    response = admin_client.get(media_url(name), HTTP_RANGE="bytes=100-199")
    assert response.status_code == 200  # nginx applies the Range itself
    assert response["X-Accel-Redirect"] == "/protected-media/" + name
    assert response.content == b""
    assert response["Content-Type"] == "video/webm"
    assert_private(response)

    public = admin_client.get(media_url(media["public_rendition"].file.name))
    assert public["X-Accel-Redirect"] == "/protected-media/" + media["public_rendition"].file.name
    assert public.content == b""
    assert_public(public)


def test_nginx_mode_still_refuses_who_may_not_see(client, media, settings):
    settings.MEDIA_SERVE_METHOD = "nginx"
    response = client.get(media_url(media["video"].file.name))
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_nginx_mode_quotes_the_path(admin_client, media, settings):
    settings.MEDIA_SERVE_METHOD = "nginx"
    video = factories.VideoFactory(file=ContentFile(factories.webm_bytes(), name="ripresa-è.webm"))
    assert video.file.name == "videos/ripresa-è.webm"
    response = admin_client.get("/media/videos/ripresa-%C3%A8.webm")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/videos/ripresa-%C3%A8.webm"


def test_sendfile_mode_names_the_file_on_disk(admin_client, media, settings):
    settings.MEDIA_SERVE_METHOD = "sendfile"
    name = media["video"].file.name
    response = admin_client.get(media_url(name))
    assert response["X-Sendfile"] == str(Path(django_settings.MEDIA_ROOT) / name)
    assert response.content == b""


def test_private_document_follows_its_page_on_wagtails_document_url(client, media, admin_user):
    doc = media["private_doc"]
    url = doc.url
    assert url.startswith("/documents/")
    assert client.get(url).status_code == 404
    client.post(
        reverse("unlock_private_page", args=[media["reel"].pk]), {"password": media["password"]}
    )
    response = client.get(url)
    assert response.status_code == 200
    assert body_of(response) == stored_bytes(doc.file.name)
    assert_private(response)


def test_public_document_is_served_to_anyone(client, media):
    doc = media["public_doc"]
    response = client.get(doc.url)
    assert response.status_code == 200
    assert body_of(response) == stored_bytes(doc.file.name)


def test_library_document_that_no_page_links_is_only_for_editors(client, admin_client, media):
    doc = factories.DocumentFactory(title="Draft budget")
    assert client.get(doc.url).status_code == 404
    assert client.get(media_url(doc.file.name)).status_code == 404
    assert admin_client.get(doc.url).status_code == 200
