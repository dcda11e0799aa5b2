"""Published photos carry no camera metadata: a JPEG's GPS position, camera and serial number
stay in the original (for the owner), never in the renditions visitors download."""

import io

from django.core.files.base import ContentFile
from django.test import TestCase
from PIL import Image

from gallery.metadata import jpeg_without_metadata
from tests.factories import ImageFactory

GPS_IFD = 0x8825
MAKE = 0x010F


def jpeg_with_gps():
    picture = Image.new("RGB", (800, 600), (120, 80, 40))
    exif = Image.Exif()
    exif[MAKE] = "CameraMaker"
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (45.0, 26.0, 0.0), 3: "E", 4: (12.0, 19.0, 0.0)})
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif, quality=90)
    return buffer.getvalue()


def exif_of(field_file):
    with field_file.open("rb") as handle:
        return Image.open(io.BytesIO(handle.read())).getexif()


class PhotoMetadataTests(TestCase):
    def test_renditions_leave_the_gps_position_and_camera_out(self):
        image = ImageFactory(file=ContentFile(jpeg_with_gps(), name="on-location.jpg"))
        self.assertTrue(exif_of(image.file).get_ifd(GPS_IFD))  # the original keeps it
        for spec in ("width-480|format-jpeg", "fill-400x300-c75|format-jpeg"):
            rendition = image.get_rendition(spec)
            exif = exif_of(rendition.file)
            self.assertEqual(dict(exif.get_ifd(GPS_IFD)), {}, spec)
            self.assertNotIn(MAKE, exif, spec)
            with rendition.file.open("rb") as handle:
                shown = Image.open(io.BytesIO(handle.read()))
                shown.load()
            self.assertEqual(shown.size[0], 480 if spec.startswith("width") else 400)
            self.assertEqual(shown.getpixel((10, 10)), shown.getpixel((100, 100)))

    def test_stripping_keeps_every_other_byte_and_leaves_non_jpegs_alone(self):
        data = jpeg_with_gps()
        stripped = jpeg_without_metadata(data)
        self.assertLess(len(stripped), len(data))
        self.assertEqual(stripped[-200:], data[-200:])  # the picture data itself
        self.assertEqual(Image.open(io.BytesIO(stripped)).size, (800, 600))
        self.assertEqual(jpeg_without_metadata(stripped), stripped)
        self.assertEqual(jpeg_without_metadata(b"not a jpeg"), b"not a jpeg")
        self.assertEqual(jpeg_without_metadata(data[:40]), data[:40])  # cut short
