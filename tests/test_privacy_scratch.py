import pytest
from wagtail.models import ReferenceIndex
from tests import factories as f
from gallery.models import ShowreelPage

@pytest.mark.django_db
def test_scratch():
    site = f.build_site()
    img = f.ImageFactory()
    video = f.VideoFactory()
    reel = f.ShowreelPageFactory(parent=site["home"], body=[f.gallery_block([img]), f.video_block(video)])
    print("refs img", list(ReferenceIndex.get_references_to(img).values_list("base_content_type__model", "object_id")))
    print("refs video", list(ReferenceIndex.get_references_to(video).values_list("base_content_type__model", "object_id")))
    print("refs poster", list(ReferenceIndex.get_references_to(video.poster).values_list("base_content_type__model", "object_id")))
    print(img.file.name, video.file.name, video.poster.file.name)
    r = img.get_rendition("width-100")
    print(r.file.name, r.url)
