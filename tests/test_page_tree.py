"""Where each page type may live in the tree, and how many of it there may be."""

from django.urls import reverse
from wagtail.models import Page, get_page_models
from wagtail.test.utils import WagtailPageTestCase

from filmsheets.models import FilmIndexPage, FilmSheetPage
from home.models import AboutPage, ContactPage, HomePage
from showreels.models import ShowreelIndexPage, ShowreelPage
from tests.factories import FilmSheetPageFactory, ShowreelPageFactory, build_site

# Every page type the project defines, so a new one is checked against these rules too.
ALL_PAGE_TYPES = set(get_page_models()) - {Page}


class PageTreeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.sheet = FilmSheetPageFactory(parent=cls.tree["films"])
        cls.showreel_index = ShowreelIndexPage(title="Private work", slug="private-work")
        cls.tree["home"].add_child(instance=cls.showreel_index)
        cls.showreel = ShowreelPageFactory(parent=cls.showreel_index)
        cls.superuser = cls.create_superuser("owner")

    def add_view(self, model, parent):
        return reverse(
            "wagtailadmin_pages:add",
            args=[model._meta.app_label, model._meta.model_name, parent.pk],
        )

    def assertAdminRefusesToAdd(self, model, parent):
        """The add view turns the editor away (Wagtail answers a refusal with a redirect to
        the dashboard) and a forged POST creates nothing."""
        self.client.force_login(self.superuser)
        count = model.objects.count()
        response = self.client.get(self.add_view(model, parent))
        self.assertRedirects(response, reverse("wagtailadmin_home"))
        response = self.client.post(
            self.add_view(model, parent),
            {"title": "Another", "slug": "another", "action-publish": "action-publish"},
        )
        self.assertRedirects(response, reverse("wagtailadmin_home"))
        self.assertEqual(model.objects.count(), count)

    # Where each type may be created

    def test_home_page_is_the_only_type_allowed_at_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertEqual(set(Page.creatable_subpage_models()), {HomePage})
        for model in ALL_PAGE_TYPES - {HomePage}:
            self.assertCanNotCreateAt(Page, model)

    def test_home_page_holds_about_contact_films_and_showreels(self):
        self.assertAllowedSubpageTypes(
            HomePage, {AboutPage, ContactPage, FilmIndexPage, ShowreelPage, ShowreelIndexPage}
        )
        self.assertCanNotCreateAt(HomePage, HomePage)
        self.assertCanNotCreateAt(HomePage, FilmSheetPage)

    def test_about_and_contact_live_only_under_home_and_hold_nothing(self):
        for model in (AboutPage, ContactPage):
            self.assertAllowedParentPageTypes(model, {HomePage})
            self.assertAllowedSubpageTypes(model, set())
            self.assertCanCreateAt(HomePage, model)
            for parent in ALL_PAGE_TYPES - {HomePage}:
                self.assertCanNotCreateAt(parent, model)

    def test_film_index_lives_only_under_home(self):
        self.assertAllowedParentPageTypes(FilmIndexPage, {HomePage})
        self.assertCanCreateAt(HomePage, FilmIndexPage)
        self.assertCanNotCreateAt(FilmIndexPage, FilmIndexPage)
        self.assertCanNotCreateAt(ShowreelIndexPage, FilmIndexPage)

    def test_film_sheet_lives_only_under_the_film_index(self):
        self.assertAllowedParentPageTypes(FilmSheetPage, {FilmIndexPage})
        self.assertAllowedSubpageTypes(FilmIndexPage, {FilmSheetPage})
        self.assertAllowedSubpageTypes(FilmSheetPage, set())
        self.assertCanCreateAt(FilmIndexPage, FilmSheetPage)
        for parent in ALL_PAGE_TYPES - {FilmIndexPage}:
            self.assertCanNotCreateAt(parent, FilmSheetPage)

    def test_showreel_lives_under_home_or_a_showreel_section(self):
        self.assertAllowedParentPageTypes(ShowreelPage, {HomePage, ShowreelIndexPage})
        self.assertAllowedSubpageTypes(ShowreelIndexPage, {ShowreelPage})
        self.assertAllowedSubpageTypes(ShowreelPage, set())
        self.assertCanCreateAt(HomePage, ShowreelPage)
        self.assertCanCreateAt(ShowreelIndexPage, ShowreelPage)
        self.assertCanNotCreateAt(FilmIndexPage, ShowreelPage)
        self.assertCanNotCreateAt(ShowreelPage, ShowreelPage)

    def test_showreel_section_lives_only_under_home(self):
        self.assertAllowedParentPageTypes(ShowreelIndexPage, {HomePage})

    # How many of each there may be

    def test_second_home_page_cannot_be_created(self):
        root = self.tree["root"]
        self.assertFalse(HomePage.can_create_at(root))
        self.assertAdminRefusesToAdd(HomePage, root)
        self.assertEqual(HomePage.objects.count(), 1)

    def test_second_about_or_contact_page_cannot_be_created(self):
        home = self.tree["home"]
        for model in (AboutPage, ContactPage):
            with self.subTest(model=model.__name__):
                self.assertFalse(model.can_create_at(home))
                self.assertAdminRefusesToAdd(model, home)

    def test_second_film_index_cannot_be_created_under_home(self):
        home = self.tree["home"]
        self.assertFalse(FilmIndexPage.can_create_at(home))
        self.assertAdminRefusesToAdd(FilmIndexPage, home)

    def test_film_sheets_and_showreels_are_not_limited_in_number(self):
        self.assertTrue(FilmSheetPage.can_create_at(self.tree["films"]))
        self.assertTrue(ShowreelPage.can_create_at(self.showreel_index))
        self.assertTrue(ShowreelPage.can_create_at(self.tree["home"]))
        self.client.force_login(self.superuser)
        response = self.client.get(self.add_view(FilmSheetPage, self.tree["films"]))
        self.assertEqual(response.status_code, 200)

    def test_admin_refuses_a_film_sheet_under_home(self):
        self.assertAdminRefusesToAdd(FilmSheetPage, self.tree["home"])

    def test_built_tree_has_the_expected_shape(self):
        home = self.tree["home"]
        self.assertEqual(home.get_parent().pk, self.tree["root"].pk)
        self.assertEqual(
            {type(p.specific) for p in home.get_children()},
            {AboutPage, ContactPage, FilmIndexPage, ShowreelIndexPage},
        )
        self.assertEqual(self.sheet.get_parent().pk, self.tree["films"].pk)
        self.assertEqual(self.showreel.get_parent().pk, self.showreel_index.pk)
