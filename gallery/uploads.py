"""Photos made web-ready once, on their way into the library.

A photographer's files come in every shape Pillow can open: 16-bit and float greyscale from
scanners and raw converters, CMYK from print work, Adobe RGB or Display P3 from cameras and
phones, HEIC from phones, TIFF from the lab, JPEGs that only EXIF turns upright. The rendition
formats (JPEG, WebP, AVIF) and browsers want 8 bits a channel, sRGB, upright. So the original
the library stores is converted here, at upload, and every preset can be made from it later;
a file that cannot be read whole is refused with the reason, never stored.

A file that is already web-ready (an upright 8-bit sRGB JPEG, PNG, WebP or AVIF, or any GIF)
is stored byte for byte: no second JPEG compression.
"""

import io
import logging
import os
import struct

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, ImageOps, PngImagePlugin

logger = logging.getLogger(__name__)

WEB_READY_MODES = {"RGB", "RGBA", "L"}
# The photographer's file type is kept where it carries 8-bit sRGB; others (TIFF, HEIC)
# become a JPEG, or a PNG when they have transparency.
KEPT_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "AVIF": "AVIF"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "AVIF": "avif"}
CONTENT_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "AVIF": "image/avif",
}
# Modes without alpha, before colour conversion: what each mode's colour channels are.
COLOUR_MODES = {
    "1": "L",
    "L": "L",
    "LA": "L",
    "P": "RGB",
    "PA": "RGB",
    "RGB": "RGB",
    "RGBA": "RGB",
    "RGBa": "RGB",
    "RGBX": "RGB",
    "YCbCr": "RGB",
    "HSV": "RGB",
    "CMYK": "CMYK",
    "LAB": "LAB",
}

ORIENTATION = 0x0112
EXIF_IFD = 0x8769
GPS_IFD = 0x8825
MAKER_NOTE = 0x927C
# What a converted file keeps of its EXIF: the credits and description, the camera and
# the shooting data. The maker note is left out: a binary blob whose internal offsets
# break when the file is rewritten.
KEPT_EXIF_TAGS = {
    0x010E,  # ImageDescription
    0x010F,  # Make
    0x0110,  # Model
    0x0131,  # Software
    0x0132,  # DateTime
    0x013B,  # Artist
    0x8298,  # Copyright
}
JPEG_QUALITY = 95
WEBP_QUALITY = 95
AVIF_QUALITY = 90
# A JPEG marker segment holds at most 65,533 bytes of data.
MAX_MARKER_DATA = 65_533

SRGB_PROFILE = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))

DAMAGED = (
    "This image file is damaged or incomplete (%(detail)s), so the site cannot show it. "
    "The upload or the copy may have been cut short: export or copy it again and upload "
    "the new file."
)
UNSUPPORTED_MODE = (
    "The site cannot convert this image's colour format (%(mode)s) to one that browsers "
    "show. Export it as an 8-bit RGB JPEG or PNG and upload that."
)


def web_ready_upload(uploaded):
    """The uploaded image file as the library should store it.

    The file itself when it is web-ready already, else a converted copy under the same
    name (with the extension of its new format). Raises ValidationError with the reason
    when the file cannot be decoded whole or converted.
    """
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    source = _decoded(data)
    if _is_web_ready(source, data):
        return uploaded
    image, converted_colour = _web_ready_pixels(source)
    target = KEPT_FORMATS.get(source.format) or ("PNG" if image.mode == "RGBA" else "JPEG")
    if target == "JPEG" and image.mode == "RGBA":
        target = "PNG"
    content = _encoded(image, target, source, embed_srgb=converted_colour)
    stem = os.path.splitext(os.path.basename(uploaded.name))[0] or "image"
    converted = SimpleUploadedFile(
        f"{stem}.{EXTENSIONS[target]}", content, content_type=CONTENT_TYPES[target]
    )
    logger.info(
        "Converted upload %s (%s, %s) to %s %s",
        uploaded.name,
        source.format,
        source.mode,
        target,
        image.mode,
    )
    return converted


def _decoded(data):
    """The image with all its pixels decoded: a truncated or corrupt file fails here."""
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Image.DecompressionBombError as error:
        raise ValidationError(
            "This image has too many pixels to be processed safely (%(detail)s).",
            code="file_too_many_pixels",
            params={"detail": error},
        ) from None
    except Exception as error:
        raise damaged_file_error(error) from None
    return image


def damaged_file_error(error):
    """The refusal of a file whose decoding raised `error`.

    Pillow's decoders raise OSError for a truncated file, but corrupt data can end in
    ValueError, SyntaxError, EOFError, struct.error and more: any of them means the same
    thing to the photographer.
    """
    detail = (str(error).strip() or type(error).__name__)[:200]
    return ValidationError(DAMAGED, code="image_damaged", params={"detail": detail})


def _is_web_ready(image, data):
    if image.format == "GIF":
        # Always 8-bit palette images; kept as they are so that animations survive.
        return True
    if image.format not in KEPT_FORMATS or image.mode not in WEB_READY_MODES:
        return False
    if image.format == "PNG" and data[24:25] == b"\x10":
        # A 16-bit PNG: Pillow reads it as 8-bit RGB(A), but the file is twice the size.
        return False
    try:
        orientation = image.getexif().get(ORIENTATION, 1)
    except Exception:
        # Malformed EXIF: rewritten (without it) rather than trusted.
        return False
    if orientation not in (0, 1):
        return False
    icc = image.info.get("icc_profile")
    return not icc or _is_srgb(icc)


def _profile(icc):
    return ImageCms.ImageCmsProfile(io.BytesIO(icc))


def _is_srgb(icc):
    try:
        description = ImageCms.getProfileDescription(_profile(icc))
    except (ImageCms.PyCMSError, OSError, TypeError, ValueError):
        return False
    return "srgb" in description.lower()


def _web_ready_pixels(source):
    """(8-bit sRGB pixels, upright, in mode RGB, RGBA or L; whether an ICC profile was used)."""
    try:
        image = ImageOps.exif_transpose(source)
    except Exception:
        # A malformed orientation tag: keep the pixels as they are.
        logger.warning("Could not apply the EXIF orientation of an upload", exc_info=True)
        image = source.copy()
    image = _eight_bit(image)
    return _srgb(image)


def _eight_bit(image):
    """16-bit, 32-bit and float greyscale onto 0-255."""
    if image.mode.startswith("I;16"):
        # The full 16-bit range onto 8 bits.
        return _scaled(image.convert("I"), 1 / 257, 0)
    if image.mode not in ("I", "F"):
        return image
    low, high = image.getextrema()
    if low >= 0 and high <= 1 and image.mode == "F":
        # Float images are usually normalised to 0-1.
        return _scaled(image, 255, 0)
    if low >= 0 and high <= 255:
        return _scaled(image, 1, 0)
    if low >= 0 and high <= 65_535:
        # 16-bit values in a wider container.
        return _scaled(image, 1 / 257, 0)
    # Anything else is stretched from its darkest to its brightest value.
    scale = 255 / (high - low) if high > low else 1
    return _scaled(image, scale, -low * scale)


def _scaled(image, scale, offset):
    info = dict(image.info)
    image = image.point(lambda value: value * scale + offset).convert("L")
    image.info.update(info)
    return image


def _srgb(image):
    """8-bit pixels in sRGB: RGB, RGBA (when the image has transparency) or L."""
    colour_mode = COLOUR_MODES.get(image.mode)
    if colour_mode is None:
        raise ValidationError(UNSUPPORTED_MODE, code="image_mode", params={"mode": image.mode})
    info = dict(image.info)
    try:
        alpha = image.convert("RGBA").getchannel("A") if image.has_transparency_data else None
        pixels = image.convert(colour_mode) if image.mode != colour_mode else image
    except (OSError, ValueError) as error:
        raise ValidationError(
            UNSUPPORTED_MODE, code="image_mode", params={"mode": image.mode}
        ) from error

    icc = info.get("icc_profile")
    used_profile = False
    if icc and not (pixels.mode in ("RGB", "L") and _is_srgb(icc)):
        try:
            pixels = ImageCms.profileToProfile(
                pixels, _profile(icc), SRGB_PROFILE, outputMode="RGB"
            )
            used_profile = True
        except (ImageCms.PyCMSError, OSError, TypeError, ValueError):
            # A broken profile, or one for other colours than the pixels have: the pixels are
            # taken as they are, as a browser would without colour management.
            logger.warning("Ignored an unusable ICC profile in an upload", exc_info=True)
    if pixels.mode == "LAB":
        pixels = ImageCms.profileToProfile(
            pixels, ImageCms.createProfile("LAB"), SRGB_PROFILE, outputMode="RGB"
        )
    elif pixels.mode not in ("RGB", "L"):
        pixels = pixels.convert("RGB")

    if alpha is not None:
        pixels = pixels.convert("RGBA")
        pixels.putalpha(alpha)
    pixels.info = {key: info[key] for key in ("exif", "xmp") if key in info}
    return pixels, used_profile


def _encoded(image, target, source, embed_srgb):
    """The bytes of the web-ready file, keeping the credits of the source where possible."""
    options = {}
    exif = _kept_exif(image, source)
    if exif:
        options["exif"] = exif
    if embed_srgb:
        options["icc_profile"] = SRGB_PROFILE.tobytes()
    xmp = image.info.get("xmp")
    if isinstance(xmp, str):
        xmp = xmp.encode()
    if target == "JPEG":
        options.update(quality=JPEG_QUALITY, subsampling=0)
        if xmp and len(xmp) + 29 <= MAX_MARKER_DATA:
            options["xmp"] = xmp
        iptc = _photoshop_iptc(source)
        if iptc:
            options["extra"] = b"\xff\xed" + struct.pack(">H", len(iptc) + 2) + iptc
    elif target == "PNG":
        pnginfo = PngImagePlugin.PngInfo()
        for key, value in (getattr(source, "text", None) or {}).items():
            if isinstance(value, str) and key != "XML:com.adobe.xmp":
                pnginfo.add_itxt(key, value)
        if xmp:
            pnginfo.add_itxt("XML:com.adobe.xmp", xmp.decode("utf-8", "replace"))
        options["pnginfo"] = pnginfo
    else:
        options["quality"] = WEBP_QUALITY if target == "WEBP" else AVIF_QUALITY
        if xmp:
            options["xmp"] = xmp
    output = io.BytesIO()
    try:
        image.save(output, target, **options)
    except (OSError, ValueError, TypeError, struct.error):
        # Metadata a format refuses must not cost the photo: save the pixels alone.
        logger.warning("Saved an upload without its metadata", exc_info=True)
        output = io.BytesIO()
        plain = {key: options[key] for key in ("quality", "subsampling") if key in options}
        image.save(output, target, **plain)
    return output.getvalue()


def _kept_exif(image, source):
    """EXIF bytes with the credits and shooting data, orientation applied (so left out)."""
    try:
        original = image.getexif() if image.info.get("exif") else source.getexif()
        kept = Image.Exif()
        for tag in KEPT_EXIF_TAGS:
            if tag in original:
                kept[tag] = original[tag]
        for ifd in (EXIF_IFD, GPS_IFD):
            values = {
                tag: value for tag, value in original.get_ifd(ifd).items() if tag != MAKER_NOTE
            }
            if values:
                kept[ifd] = values
        return kept.tobytes() if len(kept) else b""
    except Exception:
        logger.warning("Dropped the EXIF data of an upload", exc_info=True)
        return b""


def _photoshop_iptc(source):
    """The Photoshop/IPTC block (APP13) of a JPEG source: captions and credits live there."""
    for marker, data in getattr(source, "applist", []):
        if marker == "APP13" and data.startswith(b"Photoshop 3.0") and len(data) <= MAX_MARKER_DATA:
            return data
    return b""
