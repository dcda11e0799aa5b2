from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, streamfield, rich_text, inline_formset
from filmsheets.models import FilmSheetPage, FilmRole
from tests.factories import build_site, ImageFactory

class T(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.user = cls.create_superuser("owner")
        cls.img = ImageFactory()

    def test_x(self):
        self.client.force_login(self.user)
        url = reverse("wagtailadmin_pages:add", args=["filmsheets", "filmsheetpage", self.tree["films"].pk])
        r = self.client.get(url)
        from wagtail.test.utils.form_data import querydict_from_html
        qd = querydict_from_html(r.content.decode(), form_id="page-edit-form")
        print(sorted(qd.keys()))
        data = nested_form_data({"title": "Night Harbour", "slug": "night-harbour", "year": "2019", "director": "Ada Rossi",
             "synopsis": rich_text("<p>x</p>"),
             "body": streamfield([("gallery", {"title": "G", "layout": "grid", "photos": {"count": "1", "0": {"value": {"photo": {"image": self.img.pk, "alt_text": "Alt", "decorative": ""}, "caption": "", "credit": ""}, "deleted": "", "order": "0", "id": "abc"}}})]),
             "action-publish": "action-publish"})
        data["roles"] = [FilmRole.objects.first().pk]
        r = self.client.post(url, data)
        print(r.status_code, r.get("Location"))
        if r.status_code == 200:
            print(r.context["form"].errors)
        p = FilmSheetPage.objects.get(slug="night-harbour")
        print(p.live, p.body.raw_data)
