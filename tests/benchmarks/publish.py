"""Benchmark: how long the owner waits when he publishes a gallery of large photos.

Run with `.venv/bin/python tests/benchmarks/publish.py` (part of `make bench`). Makes
BENCH_PHOTOS photos of BENCH_MEGAPIXELS (default 60 photos of 24 MP, 6000×4000 JPEG with
photographic noise), a film sheet holding them, and times `publish()`:
- as the site does it now: renditions queued for the background worker (database queue);
- as it did before: renditions made inside the publish (`BACKGROUND_TASKS=immediate`), on
  BENCH_BEFORE_PHOTOS of them (default 10: making them all takes many minutes on 2 cores).
Measurements, not tests.
"""

import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.benchmarks.environment import prepare

os.environ.setdefault("BACKGROUND_TASKS", "database")
prepare("bts-bench-publish-")

from django.core.files.base import ContentFile  # noqa: E402
from PIL import Image, ImageFilter  # noqa: E402

PHOTOS = int(os.environ.get("BENCH_PHOTOS", "60"))
BEFORE_PHOTOS = int(os.environ.get("BENCH_BEFORE_PHOTOS", "10"))
WIDTH, HEIGHT = 6000, 4000


def photo_bytes(seed):
    """A 24 MP JPEG that compresses like a photo: blurred noise over a gradient."""
    noise = Image.effect_noise((WIDTH // 8, HEIGHT // 8), 60 + seed % 30).convert("RGB")
    image = noise.resize((WIDTH, HEIGHT)).filter(ImageFilter.GaussianBlur(2))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def timed_publish(page):
    start = time.perf_counter()
    page.save_revision().publish()
    return time.perf_counter() - start


def main():
    from django_tasks_db.models import DBTaskResult

    from gallery.tasks import make_page_renditions
    from tests.factories import FilmSheetPageFactory, ImageFactory, build_site, gallery_block

    tree = build_site()
    started = time.perf_counter()
    data = photo_bytes(0)
    images = [ImageFactory(file=ContentFile(data, name=f"photo-{n}.jpg")) for n in range(PHOTOS)]
    print(
        f"{PHOTOS} photos of {WIDTH}x{HEIGHT} ({len(data) / 1e6:.1f} MB each) made in "
        f"{time.perf_counter() - started:.0f} s"
    )

    sheet = FilmSheetPageFactory(parent=tree["films"], body=[gallery_block(images)], live=False)
    after = timed_publish(sheet)
    queued = DBTaskResult.objects.count()
    print(
        f"after: publish with {PHOTOS} photos answered in {after:.2f} s "
        f"({queued} background task(s) queued)"
    )

    # Before: publishing made every rendition inside the same request.
    few = images[:BEFORE_PHOTOS]
    before_sheet = FilmSheetPageFactory(
        parent=tree["films"], body=[gallery_block(few)], live=False, key_image=None
    )
    start = time.perf_counter()
    before_sheet.save_revision().publish()
    make_page_renditions.call(before_sheet.pk)
    before = time.perf_counter() - start
    print(
        f"before: publish with {BEFORE_PHOTOS} photos and their renditions made inside it: "
        f"{before:.1f} s ({before / BEFORE_PHOTOS:.1f} s a photo)"
    )


if __name__ == "__main__":
    main()
