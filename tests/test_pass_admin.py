"""The owner's pass admin as a photographer uses it: issuing with a few clicks, dates he reads
at a glance in the site's time zone, a message ready to send, shared passwords and the alert
about guessing.
"""

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site
from wagtail.test.utils import WagtailTestUtils
from wagtail.users.models import UserProfile

from showreels.models import AccessPass, UnlockAttempt, UnlockRefusal
from tests import factories
from tests.conftest import clock_at

ROME = ZoneInfo("Europe/Rome")
PASS = re.compile(r"[a-z2-9]{5}(?:-[a-z2-9]{5}){4}")


def rome_end_of(day):
    return datetime.combine(day, time.max, tzinfo=ROME)


def rome_today():
    return timezone.localtime(timezone.now(), ROME).date()


def todays_noon_in_rome():
    """A moment far from midnight: “in 10 minutes” is still today."""
    return datetime.combine(rome_today(), time(12), tzinfo=ROME)


def text_of(html):
    """The words a person reads: tags dropped, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def set_site_address(hostname, port):
    # Saved, not updated: saving clears Wagtail's cache of site root URLs.
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = hostname, port
    site.save()


def message_in(body):
    return re.search(r'<textarea id="access-pass-message"[^>]*>(.*?)</textarea>', body, re.S)[1]


@override_settings(TIME_ZONE="Europe/Rome")
class PassAdminTests(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls):
        tree = factories.build_site()
        set_site_address("bts.example.com", 8443)
        cls.section = factories.ShowreelIndexPageFactory(
            parent=tree["home"], title="Commercial showreels", slug="commercial"
        )
        cls.reel = factories.ShowreelPageFactory(
            parent=cls.section, title="Harbour nights reel", slug="harbour-nights"
        )
        cls.owner = cls.create_superuser("owner")

    def setUp(self):
        self.client.force_login(self.owner)

    def issue(self, valid_for="14", expires_on="", page=None, label="Line producer"):
        return self.client.post(
            reverse("access_passes:add"),
            {
                "label": label,
                "page": (page or self.reel).pk,
                "valid_for": valid_for,
                "expires_on": expires_on,
            },
        )

    # Issuing: how long a pass is valid

    def test_issue_form_offers_quick_choices_with_their_last_day(self):
        body = self.client.get(reverse("access_passes:add")).content.decode()
        today = rome_today()
        for days in (7, 14, 30):
            self.assertIn(f"{days} days, until {today + timedelta(days=days):%d/%m/%Y}", body)
        self.assertIn("Until a date", body)
        self.assertIn("No end date", body)
        self.assertRegex(body, r'value="14"[^>]*checked')

    def test_each_quick_choice_ends_the_pass_at_the_end_of_that_day_in_rome(self):
        # 00:30 in Rome is still the day before in UTC; the week crosses the change to
        # summer time (29 March 2026).
        with clock_at(datetime(2026, 3, 24, 23, 30, tzinfo=UTC)):
            for choice, last_day in (
                ("7", date(2026, 4, 1)),
                ("14", date(2026, 4, 8)),
                ("30", date(2026, 4, 24)),
            ):
                with self.subTest(choice=choice):
                    self.assertEqual(self.issue(choice, label=choice).status_code, 200)
                    expires_at = AccessPass.objects.get(label=choice).expires_at
                    self.assertEqual(expires_at, rome_end_of(last_day))
            self.assertEqual(
                AccessPass.objects.get(label="7").expires_at,
                datetime(2026, 4, 1, 21, 59, 59, 999999, tzinfo=UTC),
            )

    def test_no_end_date_issues_a_pass_that_does_not_expire(self):
        self.issue("none")
        self.assertIsNone(AccessPass.objects.get().expires_at)

    def test_until_a_date_takes_day_month_year_and_lasts_to_the_end_of_that_day(self):
        year = rome_today().year + 1
        response = self.issue("date", f"13/12/{year}")
        self.assertEqual(response.status_code, 200)
        expires_at = AccessPass.objects.get().expires_at
        self.assertEqual(expires_at, rome_end_of(date(year, 12, 13)))
        self.assertEqual(expires_at, datetime(year, 12, 13, 22, 59, 59, 999999, tzinfo=UTC))

    def test_a_month_first_date_is_refused_with_the_day_first_suggestion(self):
        year = rome_today().year + 1
        response = self.issue("date", f"12/13/{year}")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(AccessPass.objects.exists())
        body = text_of(response.content.decode())
        self.assertIn(f"“12/13/{year}” is not a date written day/month/year", body)
        self.assertIn(f"Did you mean 13/12/{year}", body)

    def test_a_date_left_in_the_hidden_last_day_field_does_not_block_another_choice(self):
        response = self.issue("14", "12/13/2030")
        self.assertEqual(response.status_code, 200)
        expires_at = AccessPass.objects.get().expires_at
        self.assertEqual(expires_at, rome_end_of(rome_today() + timedelta(days=14)))

    def test_until_a_date_needs_a_day_that_is_not_over(self):
        yesterday = rome_today() - timedelta(days=1)
        response = self.issue("date", f"{yesterday:%d/%m/%Y}")
        self.assertIn("is already over", response.content.decode())
        response = self.issue("date", "")
        self.assertIn("Choose the last day the pass works", response.content.decode())
        self.assertFalse(AccessPass.objects.exists())
        # Today is fine: the pass works until tonight.
        self.issue("date", f"{rome_today():%d/%m/%Y}")
        self.assertEqual(AccessPass.objects.get().expires_at, rome_end_of(rome_today()))

    def test_editing_keeps_the_expiry_unless_another_choice_is_made(self):
        access_pass, password = AccessPass.issue(
            label="Producer", page=self.reel, expires_at=rome_end_of(date(2031, 5, 6))
        )
        url = reverse("access_passes:edit", args=[access_pass.pk])
        body = text_of(self.client.get(url).content.decode())
        self.assertIn("Keep as it is: until 06/05/2031 23:59", body)

        self.client.post(url, {"label": "Producer, renamed", "valid_for": "keep"})
        access_pass.refresh_from_db()
        self.assertEqual(access_pass.label, "Producer, renamed")
        self.assertEqual(access_pass.expires_at, rome_end_of(date(2031, 5, 6)))

        self.client.post(url, {"label": "Producer", "valid_for": "7"})
        access_pass.refresh_from_db()
        self.assertEqual(access_pass.expires_at, rome_end_of(rome_today() + timedelta(days=7)))
        self.client.post(url, {"label": "Producer", "valid_for": "none"})
        access_pass.refresh_from_db()
        self.assertIsNone(access_pass.expires_at)
        self.assertTrue(access_pass.check_password(password))

    # The page answered after issuing

    def test_issued_page_shows_the_pass_once_with_a_message_on_the_sites_address(self):
        response = self.issue("14")
        body = response.content.decode()
        access_pass = AccessPass.objects.get()
        password = PASS.search(body)[0]
        self.assertTrue(access_pass.check_password(password))
        self.assertIn("no-store", response["Cache-Control"])

        message = message_in(body)
        url = "http://bts.example.com:8443/commercial/harbour-nights/"
        last_day = timezone.localtime(access_pass.expires_at, ROME)
        self.assertIn("here is your access pass to watch “Harbour nights reel”", message)
        self.assertIn(url, message)
        self.assertIn(f"Access pass: {password}", message)
        self.assertIn(f"It is valid until the end of {last_day:%A} {last_day.day}", message)
        self.assertIn("(Rome time)", message)
        self.assertIn("Please keep it to yourself: the work is under usage rights.", message)
        self.assertIn(f'href="{url}"', body)
        self.assertNotIn("localhost", body)
        # Two copy buttons wired to Wagtail's clipboard controller, icons sized as buttons.
        self.assertEqual(body.count('data-action="w-clipboard#copy"'), 2)
        self.assertEqual(body.count("button--icon"), 2)

        for name in ("index", "edit", "inspect", "revoke"):
            args = [] if name == "index" else [access_pass.pk]
            page = self.client.get(reverse(f"access_passes:{name}", args=args))
            self.assertNotIn(password, page.content.decode(), name)

    @override_settings(WAGTAILADMIN_BASE_URL="https://bts.example.com")
    def test_message_uses_the_admin_address_when_the_site_is_still_named_localhost(self):
        set_site_address("localhost", 80)
        body = self.issue("14").content.decode()
        message = message_in(body)
        self.assertIn("https://bts.example.com/commercial/harbour-nights/", message)
        self.assertNotIn("localhost", message)
        self.assertIn("Settings → Sites still gives this site the address", body)

    @override_settings(WAGTAILADMIN_BASE_URL="http://localhost:8000")
    def test_message_keeps_localhost_when_the_site_really_is_local(self):
        set_site_address("localhost", 8000)
        message = message_in(self.issue("none").content.decode())
        self.assertIn("http://localhost:8000/commercial/harbour-nights/", message)
        self.assertIn("It has no end date", message)

    # The list, the pass page and the revoke page

    def test_list_says_in_14_days_for_a_14_day_pass_and_never_just_now_for_the_future(self):
        with clock_at(todays_noon_in_rome()) as now:
            self.issue("14", label="Fortnight pass")
            AccessPass.issue(label="Soon", page=self.reel, expires_at=now + timedelta(minutes=10))
            AccessPass.issue(label="Gone", page=self.reel, expires_at=now - timedelta(days=3))
            AccessPass.issue(label="Open-ended", page=self.reel)
            body = text_of(self.client.get(reverse("access_passes:index")).content.decode())
        self.assertIn("in 14 days", body.lower())
        self.assertIn("in 10 minutes", body.lower())
        self.assertIn("3 days ago", body.lower())
        self.assertIn("No end date", body)
        self.assertNotIn("just now", body.lower())

    def test_list_shows_use_status_and_times_opened(self):
        access_pass, password = AccessPass.issue(label="Line producer", page=self.reel)
        visitor = Client()
        visitor.post(reverse("unlock_private_page", args=[self.reel.pk]), {"password": password})
        revoked, _ = AccessPass.issue(label="Old agency", page=self.reel)
        revoked.revoke()
        response = self.client.get(reverse("access_passes:index"))
        body = text_of(response.content.decode())
        for heading in ("Expires", "First used", "Last used", "Times opened"):
            self.assertIn(heading, body)
        self.assertIn("Just now", body)  # first and last used, a moment ago
        self.assertIn("Not yet", body)
        statuses = re.findall(r'<span class="w-status[^"]*">\s*(\w+)\s*</span>', response.text)
        self.assertEqual(sorted(statuses), ["Active", "Revoked"])
        self.assertEqual(AccessPass.objects.get(pk=access_pass.pk).use_count, 1)

    def test_times_are_shown_in_rome_time_whatever_the_admin_users_time_zone(self):
        # The owner's own profile says New York: the pass still ends in Rome's evening.
        profile = UserProfile.get_for_user(self.owner)
        profile.current_time_zone = "America/New_York"
        profile.save()
        year = rome_today().year + 1
        expires_at = datetime(year, 12, 13, 22, 59, 59, 999999, tzinfo=UTC)  # 23:59 in Rome
        used_at = datetime(year - 1, 6, 2, 7, 5, tzinfo=UTC)  # 09:05 in Rome (summer)
        access_pass, _ = AccessPass.issue(label="Producer", page=self.reel, expires_at=expires_at)
        AccessPass.objects.filter(pk=access_pass.pk).update(
            first_used_at=used_at, last_used_at=used_at, use_count=2
        )
        UnlockAttempt.objects.create(
            page=self.reel, section=self.reel, access_pass=access_pass, outcome="success",
            client="k", created_at=used_at,
        )  # fmt: skip
        pages = {
            "list": reverse("access_passes:index"),
            "inspect": reverse("access_passes:inspect", args=[access_pass.pk]),
            "revoke": reverse("access_passes:revoke", args=[access_pass.pk]),
        }
        for name, url in pages.items():
            with self.subTest(name):
                body = text_of(self.client.get(url).content.decode())
                self.assertIn(f"13/12/{year} 23:59", body)
                self.assertNotIn("22:59", body)
                self.assertNotIn("17:59", body)  # New York
        inspect = text_of(self.client.get(pages["inspect"]).content.decode())
        self.assertIn(f"02/06/{year - 1} 09:05", inspect)  # first, last used; the attempt
        self.assertEqual(inspect.count(f"02/06/{year - 1} 09:05"), 3)

        issued = text_of(self.issue("date", f"13/12/{year}").content.decode())
        self.assertIn(f"13/12/{year} 23:59", issued)
        self.assertIn(f"13 December {year} (Rome time)", issued)

    # Shared page passwords

    def unlock_with_shared_password(self, password):
        visitor = Client()
        visitor.post(reverse("unlock_private_page", args=[self.reel.pk]), {"password": password})
        return visitor

    @override_settings(SHOWREEL_ALLOW_SHARED_PASSWORD=False)
    def test_shared_passwords_are_not_shown_when_the_setting_is_off(self):
        self.assertEqual(self.client.get(reverse("shared_passwords:index")).status_code, 404)
        restriction = PageViewRestriction.objects.get(page=self.section)
        url = reverse("shared_passwords:revoke", args=[restriction.pk])
        self.assertEqual(self.client.post(url).status_code, 404)
        self.assertNotIn("Shared passwords", self.client.get(reverse("wagtailadmin_home")).text)
        self.assertNotIn("Shared passwords", self.client.get(reverse("access_passes:index")).text)

    @override_settings(SHOWREEL_ALLOW_SHARED_PASSWORD=True)
    def test_shared_passwords_list_each_protected_page_with_the_unlocks_it_gave(self):
        restriction = PageViewRestriction.objects.get(page=self.section)
        restriction.password = "harbour-shared-1"
        restriction.save()
        self.unlock_with_shared_password("harbour-shared-1")
        self.unlock_with_shared_password("harbour-shared-1")
        _, password = AccessPass.issue(label="Producer", page=self.reel)
        self.unlock_with_shared_password(password)  # a pass: not the shared password's
        self.assertIn("Shared passwords", self.client.get(reverse("wagtailadmin_home")).text)

        response = self.client.get(reverse("shared_passwords:index"))
        self.assertEqual(response.status_code, 200)
        body = response.content.decode()
        self.assertNotIn("harbour-shared-1", body)
        row = re.search(r"<tr>(?:(?!</tr>).)*Commercial showreels.*?</tr>", body, re.S)[0]
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        self.assertEqual(text_of(cells[1]).strip(), "2")
        self.assertIn("Just now", text_of(cells[2]))
        self.assertIn(reverse("shared_passwords:revoke", args=[restriction.pk]), row)

    @override_settings(SHOWREEL_ALLOW_SHARED_PASSWORD=True)
    def test_revoking_a_shared_password_replaces_it_and_locks_out_its_sessions(self):
        restriction = PageViewRestriction.objects.get(page=self.section)
        restriction.password = "harbour-shared-1"
        restriction.save()
        shared_visitor = self.unlock_with_shared_password("harbour-shared-1")
        _, password = AccessPass.issue(label="Producer", page=self.reel)
        pass_visitor = self.unlock_with_shared_password(password)
        self.assertEqual(shared_visitor.get(self.reel.url).status_code, 200)

        url = reverse("shared_passwords:revoke", args=[restriction.pk])
        self.assertIn("Yes, revoke", self.client.get(url).content.decode())
        restriction.refresh_from_db()
        self.assertEqual(restriction.password, "harbour-shared-1")  # asking changes nothing
        response = self.client.post(url)
        self.assertRedirects(response, reverse("shared_passwords:index"))

        restriction.refresh_from_db()
        self.assertNotEqual(restriction.password, "harbour-shared-1")
        self.assertGreaterEqual(len(restriction.password), 32)
        locked = shared_visitor.get(self.reel.url)
        self.assertEqual(locked.status_code, 403)
        self.assertNotIn("Harbour nights reel", locked.content.decode())
        self.assertEqual(pass_visitor.get(self.reel.url).status_code, 200)
        again = self.unlock_with_shared_password("harbour-shared-1")
        self.assertEqual(again.get(self.reel.url).status_code, 403)

    # The alert about guessing

    def trip_ceiling(self, refused=23, minutes_ago=4):
        last = timezone.now() - timedelta(minutes=minutes_ago)
        return UnlockRefusal.objects.create(
            section=self.section,
            client=UnlockRefusal.ALL_CLIENTS,
            window_start=last - timedelta(minutes=3),
            refused=refused,
            first_at=last - timedelta(minutes=3),
            last_at=last,
        )

    @override_settings(SHOWREEL_SECTION_ATTEMPTS=50, SHOWREEL_UNLOCK_WINDOW=900)
    def test_alert_shows_on_the_list_and_dashboard_when_the_ceiling_tripped(self):
        with clock_at(todays_noon_in_rome()):
            refusal = self.trip_ceiling()
            first_at = timezone.localtime(refusal.first_at, ROME)
            pages = {
                url: text_of(self.client.get(url).content.decode())
                for url in (reverse("access_passes:index"), reverse("wagtailadmin_home"))
            }
        for url, body in pages.items():
            with self.subTest(url):
                self.assertIn("Many wrong passes were tried on “Commercial showreels”", body)
                self.assertIn("from several networks", body)
                self.assertIn("50 wrong passes within 15 minutes", body)
                self.assertIn(f"Since {first_at:%d/%m/%Y %H:%M}", body)
                self.assertIn("refused 23 more tries", body)
                self.assertIn("4 minutes ago", body)
                self.assertIn("Passes already in use keep working", body)

    def test_no_alert_for_one_network_or_an_old_ceiling(self):
        UnlockRefusal.objects.create(
            section=self.section, client="one-network", window_start=timezone.now(), refused=9
        )
        self.trip_ceiling(minutes_ago=24 * 60)
        for url in (reverse("access_passes:index"), reverse("wagtailadmin_home")):
            self.assertNotIn("Many wrong passes", self.client.get(url).content.decode())
