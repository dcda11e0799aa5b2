"""The admin's image upload form: every upload is made web-ready on its way in.

Wagtail builds its image forms (the "Add an image" form, the multiple uploader, the chooser's
upload tab, the edit form's file replacement) on the base form named by
`WAGTAILIMAGES_IMAGE_FORM_BASE`, so the conversion in gallery/uploads.py happens once, in the
file field's validation, whichever way a photo arrives.
See https://docs.wagtail.org/en/stable/reference/settings.html#wagtailimages-image-form-base
"""

import os
from io import BytesIO

import willow
from django.core.exceptions import ValidationError
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from gallery.uploads import damaged_file_error, web_ready_upload

ALT_TEXT_HELP = (
    "What the photo shows, for people who cannot see it: pages use it as the photo's alt "
    "text. Without it, the photo has no alt text (never its file name)."
)
# File name extensions that name the same format as another one.
FORMAT_OF_EXTENSION = {"jpg": "jpeg", "tif": "tiff"}


class WebReadyImageField(WagtailImageField):
    """Wagtail's image field, which also decodes the whole file and stores it web-ready."""

    def check_image_file_format(self, f):
        # Wagtail compares the extension with the format inside as they are, which would
        # refuse a ".tif" TIFF, the name most photo software gives one.
        extension = os.path.splitext(f.name)[1].lower()[1:]
        if extension not in self.allowed_image_extensions:
            raise ValidationError(
                self.error_messages["invalid_image_extension"], code="invalid_image_extension"
            )
        expected = FORMAT_OF_EXTENSION.get(extension, extension)
        if expected != f.image.format_name:
            raise ValidationError(
                self.error_messages["invalid_image_known_format"]
                % {"extension": extension, "image_format": f.image.format_name},
                code="invalid_image_known_format",
            )

    def to_python(self, data):
        try:
            f = super().to_python(data)
        except ValidationError:
            raise
        except Exception as error:
            # Wagtail's pixel count check decodes the file, and a truncated one raises
            # OSError there rather than a validation error.
            raise damaged_file_error(error) from None
        if f is None:
            return None
        ready = web_ready_upload(f)
        if ready is not f:
            ready.image = willow.Image.open(BytesIO(ready.read()))
            ready.seek(0)
        return ready


class BackstageImageForm(BaseImageForm):
    """The base of every image form of the admin (WAGTAILIMAGES_IMAGE_FORM_BASE)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail makes the file field itself (wagtail.images.forms.formfield_for_dbfield);
        # it is swapped here for the one that converts, keeping its label and widget.
        field = self.fields.get("file")
        if field is not None and not isinstance(field, WebReadyImageField):
            self.fields["file"] = WebReadyImageField(
                label=field.label, required=field.required, widget=field.widget
            )
        # The description is the photo's alt text wherever a page gives it none, and
        # nothing stands in for it (gallery.models.BackstageImage.default_alt_text): an
        # empty field says "No alt text".
        description = self.fields.get("description")
        if description is not None:
            description.label = "Description (alt text)"
            description.help_text = ALT_TEXT_HELP
            description.widget.attrs["placeholder"] = "No alt text"
