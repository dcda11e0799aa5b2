"""Whatever file a photographer has goes through the admin's upload forms and comes out on the
site in every preset format, or is refused with the reason; media answers any Range header
without a 5xx; a photo whose file is broken never breaks a page.

Each awkward file is made here with Pillow (and pillow-heif for HEIC).
"""

import io
import random
import struct
import zlib

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from PIL import Image, ImageCms
from wagtail.models import Collection
from wagtail.test.utils import WagtailTestUtils

from gallery.models import BackstageImage
from gallery.renditions import preset_filters, renditions_or_placeholder
from tests import factories

SINGLE = "/admin/images/add/"
MULTIPLE = "/admin/images/multiple/add/"
# The presets a film sheet (hero, grid gallery, lightbox, social card) and the film index
# (card) show a key image in.
PAGE_PRESETS = ("hero", "tile", "wide", "social", "card")
ARTIST = 0x013B
ORIENTATION = 0x0112


def encoded(image, fmt, **options):
    output = io.BytesIO()
    image.save(output, fmt, **options)
    return output.getvalue()


def two_halves(mode, left, right, size=(96, 64)):
    """An image whose left half is one value and right half another."""
    image = Image.new(mode, size, left)
    image.paste(right, (size[0] // 2, 0, size[0], size[1]))
    return image


def png_chunk(kind, data):
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def rgb16_png(size=(96, 64), colour=(0xC000, 0x4000, 0x8000)):
    """A 16-bit-a-channel RGB PNG, written by hand: Pillow cannot write one."""
    width, height = size
    row = b"\x00" + struct.pack(">3H", *colour) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0))
        + png_chunk(b"IDAT", zlib.compress(row * height))
        + png_chunk(b"IEND", b"")
    )


def s15fixed16(value):
    return struct.pack(">i", round(value * 65536))


def adobe_rgb_profile():
    """An ICC v2 matrix/TRC profile of Adobe RGB (1998): its D50 colorants and gamma 563/256."""
    description = b"Adobe RGB (1998) made by the tests\x00"
    tags = {
        b"desc": b"desc\x00\x00\x00\x00"
        + struct.pack(">I", len(description))
        + description
        + b"\x00" * 8
        + b"\x00\x00\x00"
        + b"\x00" * 67,
        b"wtpt": b"XYZ \x00\x00\x00\x00"
        + s15fixed16(0.9642)
        + s15fixed16(1.0)
        + s15fixed16(0.8249),
        b"rXYZ": b"XYZ \x00\x00\x00\x00"
        + s15fixed16(0.6097)
        + s15fixed16(0.3111)
        + s15fixed16(0.0195),
        b"gXYZ": b"XYZ \x00\x00\x00\x00"
        + s15fixed16(0.2053)
        + s15fixed16(0.6257)
        + s15fixed16(0.0609),
        b"bXYZ": b"XYZ \x00\x00\x00\x00"
        + s15fixed16(0.1492)
        + s15fixed16(0.0632)
        + s15fixed16(0.7446),
        b"rTRC": b"curv\x00\x00\x00\x00" + struct.pack(">IH", 1, 0x0233) + b"\x00\x00",
        b"cprt": b"text\x00\x00\x00\x00No copyright, test data\x00",
    }
    tags[b"gTRC"] = tags[b"bTRC"] = tags[b"rTRC"]
    table_size = 4 + 12 * len(tags)
    offset = 128 + table_size
    table, data = struct.pack(">I", len(tags)), b""
    for signature, content in tags.items():
        content += b"\x00" * (-len(content) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(content))
        data += content
    size = 128 + table_size + len(data)
    header = (
        struct.pack(">I", size)
        + b"lcms"
        + bytes([2, 0x10, 0, 0])
        + b"mntrRGB XYZ "
        + struct.pack(">6H", 2020, 1, 1, 0, 0, 0)
        + b"acsp"
        + b"\x00" * 24
        + struct.pack(">I", 0)
        + s15fixed16(0.9642)
        + s15fixed16(1.0)
        + s15fixed16(0.8249)
        + b"\x00" * 48
    )
    assert len(header) == 128
    return header + table + data


def adobe_to_srgb(rgb):
    """The sRGB value of an Adobe RGB (1998) colour, by the published matrices (D65)."""
    linear = [(value / 255) ** (563 / 256) for value in rgb]
    matrix = ((1.39835, -0.39835, 0), (0, 1, 0), (0, -0.04294, 1.04294))
    result = []
    for row in matrix:
        value = min(max(sum(c * v for c, v in zip(row, linear, strict=True)), 0), 1)
        value = 12.92 * value if value <= 0.0031308 else 1.055 * value ** (1 / 2.4) - 0.055
        result.append(round(value * 255))
    return tuple(result)


def assert_close(actual, expected, tolerance=8):
    assert all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True)), (
        f"{actual} is not close to {expected}"
    )


def stored_image(image):
    with image.open_file() as handle:
        data = handle.read()
    picture = Image.open(io.BytesIO(data))
    picture.load()
    return picture, data


class UploadCase(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = factories.build_site()
        cls.editor = get_user_model().objects.create_superuser(
            "editor", "editor@example.com", "unused-password"
        )

    def setUp(self):
        self.client.force_login(self.editor)

    def upload(self, name, data, via=SINGLE):
        """Upload through the admin's form; the new image, or the refusal's message."""
        before = set(BackstageImage.objects.values_list("pk", flat=True))
        file = SimpleUploadedFile(name, data)
        if via == SINGLE:
            response = self.client.post(
                SINGLE,
                {
                    "title": name,
                    "file": file,
                    "collection": Collection.get_first_root_node().pk,
                    "credit": "Unit photographer",
                },
            )
            self.assertLess(response.status_code, 500)
            if response.status_code == 302:
                return BackstageImage.objects.exclude(pk__in=before).get(), None
            self.assertEqual(response.status_code, 200)
            errors = response.context["form"].errors.get("file") or []
            return None, " ".join(errors)
        response = self.client.post(MULTIPLE, {"files[]": file})
        self.assertLess(response.status_code, 500)
        if response.status_code == 400:
            return None, response.content.decode()
        result = response.json()
        if result["success"]:
            return BackstageImage.objects.get(pk=result["image_id"]), None
        return None, result["error_message"]

    def upload_ok(self, name, data, via=SINGLE):
        image, error = self.upload(name, data, via)
        self.assertIsNone(error)
        self.assertIsNotNone(image)
        return image

    def assert_shown_everywhere(self, image):
        """On a published film sheet, in the film index and the admin listing, with the
        renditions of every preset the pages show, in every format."""
        # Publishing queues the page's renditions (run at once in tests), as in the admin.
        with self.captureOnCommitCallbacks(execute=True):
            sheet = factories.FilmSheetPageFactory(
                parent=self.site["films"],
                title=f"Film with {image.title}",
                key_image=image,
                body=[factories.gallery_block([image])],
            )
        self.client.logout()
        response = self.client.get(sheet.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<picture")
        html = response.content.decode()
        self.assertTrue(any(r.url in html for r in image.renditions.all()))
        index = self.client.get(self.site["films"].url)
        self.assertEqual(index.status_code, 200)
        self.assertContains(index, sheet.title)
        self.assertContains(index, "<picture")
        self.client.force_login(self.editor)
        listing = self.client.get("/admin/images/")
        self.assertEqual(listing.status_code, 200)
        self.assertContains(listing, image.title)

        # Every preset in each of its formats (the widths made depend on the photo's size).
        made = set(image.renditions.values_list("filter_spec", flat=True))
        for preset in PAGE_PRESETS:
            specs = {f.spec for f in preset_filters(preset)}
            self.assertEqual(
                {spec.rpartition("format-")[2] for spec in made & specs},
                {spec.rpartition("format-")[2] for spec in specs},
                preset,
            )
        formats = set()
        for rendition in image.renditions.all():
            with rendition.file.open("rb") as handle:
                picture = Image.open(io.BytesIO(handle.read()))
                picture.load()
            formats.add(picture.format)
        self.assertLessEqual({"AVIF", "JPEG"}, formats)
        return sheet

    def rendition(self, image, spec="width-480|format-jpeg"):
        rendition = image.get_rendition(spec)
        with rendition.file.open("rb") as handle:
            picture = Image.open(io.BytesIO(handle.read()))
            picture.load()
        return rendition, picture


class AwkwardFilesTests(UploadCase):
    def test_16_bit_greyscale_png_is_stored_as_8_bit_and_shown(self):
        image = self.upload_ok("grey16.png", encoded(Image.new("I;16", (96, 64), 30000), "PNG"))
        picture, data = stored_image(image)
        self.assertEqual((picture.format, picture.mode), ("PNG", "L"))
        self.assertEqual(data[24], 8)
        self.assertAlmostEqual(picture.getpixel((10, 10)), 30000 / 257, delta=1)
        self.assert_shown_everywhere(image)

    def test_16_bit_big_endian_greyscale_tiff_becomes_a_jpeg(self):
        source = Image.frombytes("I;16B", (96, 64), struct.pack(">H", 50000) * 96 * 64)
        image = self.upload_ok("scan.tif", encoded(source, "TIFF"), via=MULTIPLE)
        picture, _data = stored_image(image)
        self.assertEqual((picture.format, picture.mode), ("JPEG", "L"))
        self.assertTrue(image.file.name.endswith(".jpg"))
        self.assertAlmostEqual(picture.getpixel((10, 10)), 50000 / 257, delta=2)
        self.assert_shown_everywhere(image)

    def test_16_bit_rgb_png_is_stored_as_8_bit_rgb(self):
        image = self.upload_ok("colour16.png", rgb16_png(), via=MULTIPLE)
        picture, data = stored_image(image)
        self.assertEqual((picture.format, picture.mode, data[24]), ("PNG", "RGB", 8))
        assert_close(picture.getpixel((5, 5)), (0xC0, 0x40, 0x80), tolerance=1)
        self.assert_shown_everywhere(image)

    def test_greyscale_with_alpha_becomes_rgba_png(self):
        source = two_halves("LA", (200, 255), (50, 0))
        image = self.upload_ok("cut-out.png", encoded(source, "PNG"))
        picture, _data = stored_image(image)
        self.assertEqual((picture.format, picture.mode), ("PNG", "RGBA"))
        self.assertEqual(picture.getpixel((5, 5)), (200, 200, 200, 255))
        self.assertEqual(picture.getpixel((90, 5))[3], 0)
        self.assert_shown_everywhere(image)

    def test_palette_with_transparency_becomes_rgba_png(self):
        source = two_halves("P", 1, 0)
        source.putpalette([0, 0, 0, 220, 40, 30] + [0] * 762)
        image = self.upload_ok("logo.png", encoded(source, "PNG", transparency=0), via=MULTIPLE)
        picture, _data = stored_image(image)
        self.assertEqual((picture.format, picture.mode), ("PNG", "RGBA"))
        self.assertEqual(picture.getpixel((5, 5)), (220, 40, 30, 255))
        self.assertEqual(picture.getpixel((90, 5))[3], 0)
        self.assert_shown_everywhere(image)

    def test_cmyk_jpeg_comes_out_as_srgb(self):
        source = Image.new("CMYK", (96, 64), (0, 255, 255, 0))
        image = self.upload_ok("print.jpg", encoded(source, "JPEG", quality=95))
        picture, _data = stored_image(image)
        self.assertEqual((picture.format, picture.mode), ("JPEG", "RGB"))
        self.assert_shown_everywhere(image)
        for spec in ("width-480|format-jpeg", "width-480|format-webp"):
            _rendition, rendered = self.rendition(image, spec)
            self.assertEqual(rendered.mode, "RGB")
            assert_close(rendered.getpixel((40, 30)), (255, 0, 0))

    def test_adobe_rgb_jpeg_is_converted_to_srgb(self):
        adobe = (200, 100, 50)
        expected = adobe_to_srgb(adobe)
        # The test means something only if the two spaces differ visibly for this colour.
        self.assertGreater(max(abs(a - e) for a, e in zip(adobe, expected, strict=True)), 20)
        profile = adobe_rgb_profile()
        self.assertIn(
            "Adobe RGB",
            ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(profile))),
        )
        source = Image.new("RGB", (96, 64), adobe)
        image = self.upload_ok(
            "camera.jpg", encoded(source, "JPEG", quality=95, icc_profile=profile), via=MULTIPLE
        )
        picture, _data = stored_image(image)
        self.assertEqual(picture.mode, "RGB")
        self.assertIn(
            "sRGB",
            ImageCms.getProfileDescription(
                ImageCms.ImageCmsProfile(io.BytesIO(picture.info["icc_profile"]))
            ),
        )
        assert_close(picture.getpixel((40, 30)), expected)
        self.assert_shown_everywhere(image)
        for spec in ("width-480|format-jpeg", "width-480|format-webp"):
            _rendition, rendered = self.rendition(image, spec)
            self.assertEqual(rendered.mode, "RGB")
            assert_close(rendered.getpixel((40, 30)), expected)

    def test_float_tiff_is_scaled_onto_8_bits(self):
        source = two_halves("F", 0.25, 1.0)
        image = self.upload_ok("hdr.tiff", encoded(source, "TIFF"))
        picture, _data = stored_image(image)
        self.assertEqual((picture.format, picture.mode), ("JPEG", "L"))
        self.assertAlmostEqual(picture.getpixel((5, 5)), 64, delta=3)
        self.assertAlmostEqual(picture.getpixel((90, 5)), 255, delta=3)
        self.assert_shown_everywhere(image)

    def test_32_bit_integer_tiff_is_scaled_onto_8_bits(self):
        source = two_halves("I", 0, 65535)
        image = self.upload_ok("mono.tif", encoded(source, "TIFF"), via=MULTIPLE)
        picture, _data = stored_image(image)
        self.assertEqual((picture.format, picture.mode), ("JPEG", "L"))
        self.assertAlmostEqual(picture.getpixel((5, 5)), 0, delta=3)
        self.assertAlmostEqual(picture.getpixel((90, 5)), 255, delta=3)
        self.assert_shown_everywhere(image)

    def test_heic_from_a_phone_becomes_a_jpeg_with_its_credit(self):
        exif = Image.Exif()
        exif[ARTIST] = "Set photographer"
        source = Image.new("RGB", (96, 64), (30, 120, 200))
        image = self.upload_ok("IMG_0042.heic", encoded(source, "HEIF", exif=exif.tobytes()))
        picture, _data = stored_image(image)
        self.assertEqual((picture.format, picture.mode), ("JPEG", "RGB"))
        self.assertTrue(image.file.name.endswith(".jpg"))
        self.assertEqual(picture.getexif().get(ARTIST), "Set photographer")
        assert_close(picture.getpixel((40, 30)), (30, 120, 200), tolerance=10)
        self.assert_shown_everywhere(image)

    def test_exif_rotated_photo_is_stored_upright(self):
        # Stored sideways (96x64, red on the left) with "rotate 90° clockwise to show".
        source = two_halves("RGB", (220, 20, 20), (20, 20, 220))
        exif = Image.Exif()
        exif[ORIENTATION] = 6
        exif[ARTIST] = "Set photographer"
        data = encoded(source, "JPEG", quality=95, exif=exif.tobytes())
        image = self.upload_ok("portrait.jpg", data, via=MULTIPLE)
        self.assertEqual((image.width, image.height), (64, 96))
        picture, _data = stored_image(image)
        self.assertEqual(picture.size, (64, 96))
        self.assertIn(picture.getexif().get(ORIENTATION, 1), (1,))
        self.assertEqual(picture.getexif().get(ARTIST), "Set photographer")
        assert_close(picture.getpixel((32, 10)), (220, 20, 20))
        assert_close(picture.getpixel((32, 85)), (20, 20, 220))
        self.assert_shown_everywhere(image)
        rendition, rendered = self.rendition(image)
        self.assertEqual((rendition.width, rendition.height), (64, 96))
        self.assertEqual(rendered.size, (64, 96))

    def test_web_ready_jpeg_is_stored_byte_for_byte(self):
        data = factories.image_bytes(96, 64)
        image = self.upload_ok("ready.jpg", data)
        _picture, stored = stored_image(image)
        self.assertEqual(stored, data)


class DamagedFilesTests(UploadCase):
    def assert_refused(self, name, data, *reasons):
        for via in (SINGLE, MULTIPLE):
            with self.subTest(via=via):
                image, error = self.upload(name, data, via)
                self.assertIsNone(image)
                self.assertTrue(error)
                for reason in reasons:
                    self.assertIn(reason, error)
        self.assertFalse(BackstageImage.objects.exists())

    def test_first_half_of_a_jpeg_is_refused_as_incomplete(self):
        data = encoded(Image.effect_noise((400, 300), 60).convert("RGB"), "JPEG", quality=90)
        self.assert_refused(
            "half.jpg", data[: len(data) // 2], "damaged or incomplete", "truncated"
        )

    def test_truncated_png_is_refused_as_incomplete(self):
        data = encoded(Image.effect_noise((200, 150), 60), "PNG")
        self.assert_refused("half.png", data[: len(data) // 2], "damaged or incomplete")

    def test_random_bytes_named_jpg_are_refused(self):
        data = random.Random(7).randbytes(20_000)
        self.assert_refused("noise.jpg", data, "not an image or a corrupted image")

    def test_empty_file_is_refused(self):
        for via in (SINGLE, MULTIPLE):
            with self.subTest(via=via):
                image, error = self.upload("empty.jpg", b"", via)
                self.assertIsNone(image)
                self.assertTrue(error)
        self.assertFalse(BackstageImage.objects.exists())


class BrokenPhotoTests(UploadCase):
    def test_page_whose_photo_file_was_deleted_still_renders(self):
        image = factories.ImageFactory(title="Lost from storage")
        image.file.storage.delete(image.file.name)
        sheet = factories.FilmSheetPageFactory(
            parent=self.site["films"], key_image=image, body=[factories.gallery_block([image])]
        )
        self.assertEqual(self.client.get("/admin/images/").status_code, 200)
        self.client.logout()
        self.assertEqual(self.client.get(sheet.url).status_code, 200)
        self.assertEqual(self.client.get(self.site["films"].url).status_code, 200)

    def test_photo_that_cannot_be_rendered_is_logged_and_the_page_renders(self):
        # A photo stored before uploads were converted: a 16-bit PNG no JPEG can be made of.
        image = factories.ImageFactory(
            title="From the old library",
            file=ContentFile(encoded(Image.new("I;16", (96, 64), 30000), "PNG"), "old.png"),
        )
        sheet = factories.FilmSheetPageFactory(
            parent=self.site["films"], key_image=image, body=[factories.gallery_block([image])]
        )
        self.client.logout()
        with self.assertLogs("gallery.renditions", level="ERROR") as logged:
            self.assertEqual(self.client.get(sheet.url).status_code, 200)
            self.assertEqual(self.client.get(self.site["films"].url).status_code, 200)
        self.assertIn(f"image {image.pk}", logged.output[0])
        self.client.force_login(self.editor)
        self.assertEqual(self.client.get("/admin/images/").status_code, 200)

    def test_renditions_that_cannot_be_made_give_placeholders(self):
        image = factories.ImageFactory(
            file=ContentFile(encoded(Image.new("I;16", (96, 64), 30000), "PNG"), "old.png")
        )
        filters = preset_filters("tile")
        with self.assertLogs("gallery.renditions", level="ERROR"):
            renditions = renditions_or_placeholder(image, filters)
        self.assertEqual(set(renditions), {f.spec for f in filters})
        self.assertTrue(all(r.width == 0 and r.pk is None for r in renditions.values()))


class AbsurdRangeTests(UploadCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.image = factories.ImageFactory(title="Range target")
        factories.FilmSheetPageFactory(parent=cls.site["films"], key_image=cls.image)

    def test_any_range_header_gets_200_206_or_416(self):
        rendition = self.image.get_rendition("width-40")
        size = rendition.file.size
        url = "/media/" + rendition.file.name
        self.client.logout()
        digits = "9" * 5000
        whole = f"bytes 0-{size - 1}/{size}"
        # header: (status, Content-Range of a 206)
        expected = {
            f"bytes={digits}-": (416, None),
            f"bytes=-{digits}": (206, whole),
            f"bytes=0-{digits}": (206, whole),
            f"bytes={'0' * 5000}1-{digits}": (206, f"bytes 1-{size - 1}/{size}"),
            f"bytes={digits}-{digits}": (416, None),
            "bytes=0-": (206, whole),
            "bytes=-5-10": (200, None),
            "bytes=-1--5": (200, None),
            "bytes=0-1,4-5": (200, None),
            "bytes=0-1, -5": (200, None),
            "bytes=10-5": (416, None),
            "bytes=-0": (416, None),
            "bytes=-": (416, None),
            "bytes=": (200, None),
            "items=0-5": (200, None),
            "garbage": (200, None),
            "bytes=\u0661-\u0662": (200, None),
            "bytes=0x10-": (200, None),
            "bytes=" + "1" * 100_000: (200, None),
        }
        for header, (status, content_range) in expected.items():
            with self.subTest(header=header[:40]):
                response = self.client.get(url, HTTP_RANGE=header)
                self.assertEqual(response.status_code, status)
                if content_range:
                    self.assertEqual(response["Content-Range"], content_range)
