"""Admin confirmations before an owner's action makes private pages public.

Moving or copying a page out of a private section, or removing a restriction that covers
pages, would show those pages (and their photos and videos) to everyone. Wagtail asks
"are you sure?"; these views say what becomes public, by name, and need a second click.
Showreels stay private whatever happens (see showreels.signals).
"""

from django.template.response import TemplateResponse
from wagtail import hooks
from wagtail.admin.modal_workflow import render_modal_workflow
from wagtail.admin.views.page_privacy import SetPrivacyView
from wagtail.models import Page, PageViewRestriction

from showreels.privacy import ancestor_paths, is_private, is_private_by_type

CONFIRM_FIELD = "privacy_confirmed"


def _covered(path, restriction_paths):
    return any(path.startswith(prefix) for prefix in restriction_paths)


def exposed_pages(root, restriction_paths):
    """Live pages at or below root that no restriction in restriction_paths would cover."""
    return [
        page
        for page in Page.objects.descendant_of(root, inclusive=True).live().order_by("path")
        if not is_private_by_type(page) and not _covered(page.path, restriction_paths)
    ]


def exposed_by_moving(page, destination):
    """Pages private now that would be public below `destination`."""
    if is_private(destination):
        return []
    inherited = PageViewRestriction.objects.filter(page__path__in=ancestor_paths(page.path)[:-1])
    if not inherited.exists():
        return []  # nothing of its privacy comes from where it stands now
    own = PageViewRestriction.objects.filter(page__path__startswith=page.path)
    return exposed_pages(page, set(own.values_list("page__path", flat=True)))


def exposed_by_removing(restriction):
    """Pages that removing this restriction would make public."""
    others = PageViewRestriction.objects.exclude(pk=restriction.pk)
    return exposed_pages(restriction.page, set(others.values_list("page__path", flat=True)))


def confirmation(request, page, pages, action, destination=None):
    context = {
        "page": page.specific_deferred,
        "pages": pages,
        "action": action,
        "destination": destination,
        "confirm_field": CONFIRM_FIELD,
        "posted": [
            (name, value)
            for name, values in request.POST.lists()
            for value in values
            if name not in ("csrfmiddlewaretoken", CONFIRM_FIELD)
        ],
    }
    return TemplateResponse(request, "showreels/admin/confirm_privacy_loss.html", context)


@hooks.register("before_move_page")
def confirm_move_out_of_privacy(request, page, destination):
    if request.method != "POST" or request.POST.get(CONFIRM_FIELD):
        return None
    pages = exposed_by_moving(page, destination)
    return confirmation(request, page, pages, "move", destination) if pages else None


@hooks.register("before_copy_page")
def confirm_copy_out_of_privacy(request, page):
    if request.method != "POST" or request.POST.get(CONFIRM_FIELD):
        return None
    destination = Page.objects.filter(pk=request.POST.get("new_parent_page") or 0).first()
    if destination is None:
        return None
    subtree = page if request.POST.get("copy_subpages") else None
    pages = exposed_by_moving(page, destination)
    if subtree is None:
        pages = [p for p in pages if p.pk == page.pk]
    return confirmation(request, page, pages, "copy", destination) if pages else None


class ConfirmingSetPrivacyView(SetPrivacyView):
    """Wagtail's privacy dialog, which first names the pages a removal would make public."""

    def form_valid(self, form):
        removing = (
            form.cleaned_data["restriction_type"] == PageViewRestriction.NONE
            and self.restriction is not None
        )
        if removing and not self.request.POST.get(CONFIRM_FIELD):
            pages = exposed_by_removing(self.restriction)
            if pages:
                context = self.get_context_data(form=form)
                context.update(exposed=pages, confirm_field=CONFIRM_FIELD)
                return self.render_to_response(context)
        return super().form_valid(form)

    def render_to_response(self, context, **response_kwargs):
        if "exposed" not in context:
            return super().render_to_response(context, **response_kwargs)
        return render_modal_workflow(
            self.request,
            "showreels/admin/set_privacy_confirm.html",
            template_vars=context,
            json_data={"step": "set_privacy"},
        )
