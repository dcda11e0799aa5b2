"""Bulk actions of the admin's image listing: the photos of a shoot captioned in one go.

Registered in gallery/wagtail_hooks.py with Wagtail's `register_bulk_action` hook; see
https://docs.wagtail.org/en/stable/extending/custom_bulk_actions.html
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext
from wagtail.images.views.bulk_actions.image_bulk_action import ImageBulkAction

from gallery.models import BackstageImage

# The image fields the action sets, in the order the form shows them.
EDITED_FIELDS = ("caption", "credit", "licence", "description")


class CaptionsAndCreditsForm(forms.Form):
    """Every field is optional: one left empty leaves each image's own value as it is."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in EDITED_FIELDS:
            model_field = BackstageImage._meta.get_field(name)
            self.fields[name] = forms.CharField(
                label=model_field.verbose_name.capitalize(),
                max_length=model_field.max_length,
                required=False,
                help_text=model_field.help_text,
            )
        self.fields["description"].label = "Alt text (description)"
        self.fields["description"].help_text = (
            "What the photos show, for people who cannot see them; used wherever a page "
            "gives a photo no alt text of its own."
        )

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(name) for name in EDITED_FIELDS):
            raise ValidationError("Fill in at least one field: empty fields change nothing.")
        return cleaned

    def changes(self):
        """{field: value} of the fields filled in."""
        return {name: self.cleaned_data[name] for name in EDITED_FIELDS if self.cleaned_data[name]}


class EditCaptionsAndCreditsBulkAction(ImageBulkAction):
    display_name = "Edit captions and credits"
    action_type = "edit_captions_and_credits"
    aria_label = "Set the caption, credit, licence or alt text of the selected images"
    template_name = "gallery/bulk_actions/confirm_bulk_edit_captions.html"
    action_priority = 20
    form_class = CaptionsAndCreditsForm

    def check_perm(self, image):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", image
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["without_alt_text"] = sum(
            1 for item in context["items"] if not item["item"].description
        )
        return context

    def get_execution_context(self):
        return {"changes": self.cleaned_form.changes()}

    @classmethod
    def execute_action(cls, images, changes=None, **kwargs):
        """Set the values on each image that differs; (images changed, 0)."""
        changed = 0
        for image in images:
            fields = [
                name for name, value in (changes or {}).items() if getattr(image, name) != value
            ]
            if not fields:
                continue
            for name in fields:
                setattr(image, name, changes[name])
            # save(), not update(): the search index and the reference index follow.
            image.save(update_fields=fields)
            changed += 1
        return changed, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        selected = len(self.actionable_objects)
        message = ngettext(
            "Captions and credits: %(changed)d image changed",
            "Captions and credits: %(changed)d images changed",
            num_parent_objects,
        ) % {"changed": num_parent_objects}
        unchanged = selected - num_parent_objects
        if unchanged:
            message += ngettext(
                " (%(unchanged)d already had these values).",
                " (%(unchanged)d already had these values).",
                unchanged,
            ) % {"unchanged": unchanged}
        else:
            message += "."
        return message
