"""The contact form: every real message is kept, even when the email to the owner fails;
bots and floods are turned away without an error page."""

import csv
import io
import smtplib
import socket
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils import WagtailTestUtils

from home.models import HONEYPOT_FIELD, ContactFormField, ContactPage, ContactSubmission
from tests.conftest import clock_at
from tests.factories import build_site

VALID = {
    "your_name": "Giulia Ferri",
    "your_email": "giulia@northlight.example.com",
    "message": "We shoot in Trieste next spring and would love a backstage unit.",
}


class ContactFormTestCase(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.contact = cls.tree["contact"]
        cls.contact.thank_you_text = "<p>Thank you for writing, I answer within two days.</p>"
        cls.contact.intro = "<p>For productions who need a backstage unit.</p>"
        cls.contact.save_revision().publish()
        cls.url = cls.contact.url

    def post(self, data=None, **extra):
        return self.client.post(self.url, data if data is not None else VALID, **extra)

    def assertThankYouPage(self, response):
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, ContactPage.landing_page_template)
        self.assertContains(response, "Thank you for writing, I answer within two days.")


class ContactFormTests(ContactFormTestCase):
    def test_form_page_shows_the_owners_fields(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, ContactPage.template)
        self.assertContains(response, "For productions who need a backstage unit.")
        for name in ("your_name", "your_email", "message"):
            self.assertContains(response, f'name="{name}"')

    def test_valid_message_is_stored_mailed_and_thanked(self):
        response = self.post()
        self.assertThankYouPage(response)
        submission = ContactSubmission.objects.get()
        self.assertEqual(submission.page_id, self.contact.pk)
        self.assertEqual(submission.form_data, VALID)
        self.assertTrue(submission.email_sent)
        self.assertTrue(submission.client)
        [email] = mail.outbox
        self.assertEqual(email.to, ["owner@example.com"])
        self.assertEqual(email.subject, "A message from the site")
        self.assertIn(VALID["message"], email.body)
        self.assertIn(VALID["your_email"], email.body)

    def test_email_to_the_owner_does_not_mention_the_hidden_trap_field(self):
        self.post()
        [email] = mail.outbox
        label = ContactPage().get_form_class()().fields[HONEYPOT_FIELD].label
        self.assertNotIn(label, email.body)

    def test_page_without_recipient_stores_the_message_without_mailing(self):
        self.contact.to_address = ""
        self.contact.save_revision().publish()
        self.assertThankYouPage(self.post())
        submission = ContactSubmission.objects.get()
        self.assertFalse(submission.email_sent)
        self.assertEqual(mail.outbox, [])

    def test_message_is_kept_when_the_mail_server_refuses_the_connection(self):
        # A real SMTP attempt at a port that is bound but not listening: the connection is
        # refused at once, as when the mail server is down.
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as closed_port:
            closed_port.bind(("127.0.0.1", 0))
            port = closed_port.getsockname()[1]
            with (
                override_settings(
                    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                    EMAIL_HOST="127.0.0.1",
                    EMAIL_PORT=port,
                    EMAIL_USE_TLS=False,
                    EMAIL_USE_SSL=False,
                    EMAIL_TIMEOUT=2,
                ),
                self.assertLogs("home.models", level="ERROR") as logs,
            ):
                response = self.post()
        self.assertThankYouPage(response)
        submission = ContactSubmission.objects.get()
        self.assertEqual(submission.form_data, VALID)
        self.assertFalse(submission.email_sent)
        [record] = logs.records
        self.assertIn(str(submission.pk), record.getMessage())
        self.assertTrue(issubclass(record.exc_info[0], OSError | smtplib.SMTPException))

    def test_filled_honeypot_is_thanked_but_nothing_is_stored_or_sent(self):
        response = self.post({**VALID, HONEYPOT_FIELD: "https://cheap-pills.example"})
        self.assertThankYouPage(response)
        self.assertFalse(ContactSubmission.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_invalid_message_shows_field_errors_and_stores_nothing(self):
        cases = {
            "your_email": {**VALID, "your_email": "not-an-address"},
            "message": {**VALID, "message": ""},
            "your_name": {k: v for k, v in VALID.items() if k != "your_name"},
        }
        for field, data in cases.items():
            with self.subTest(field=field):
                response = self.post(data)
                self.assertEqual(response.status_code, 200)
                self.assertTemplateUsed(response, ContactPage.template)
                self.assertEqual(set(response.context["form"].errors), {field})
        self.assertFalse(ContactSubmission.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_owners_own_website_field_is_kept_and_not_mistaken_for_the_trap(self):
        ContactFormField.objects.create(
            page=self.contact, label="Website", field_type="url", required=False
        )
        data = {**VALID, "website": "https://northlight.example.com/"}
        response = self.post(data)
        self.assertThankYouPage(response)
        self.assertEqual(ContactSubmission.objects.get().form_data, data)
        self.assertIn("https://northlight.example.com/", mail.outbox[0].body)
        page = self.client.get(self.url)
        self.assertContains(page, 'name="website"', count=1)
        self.assertContains(page, f'name="{HONEYPOT_FIELD}"', count=1)

    def test_stored_message_leaves_out_the_honeypot(self):
        self.post({**VALID, HONEYPOT_FIELD: ""})
        self.assertNotIn(HONEYPOT_FIELD, ContactSubmission.objects.get().form_data)


class ContactRateLimitTests(ContactFormTestCase):
    def test_too_many_messages_from_one_client_get_429_with_retry_after(self):
        allowed = settings.CONTACT_SUBMISSIONS_PER_WINDOW
        for _ in range(allowed):
            self.assertThankYouPage(self.post())
        response = self.post()
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response["Retry-After"], str(settings.CONTACT_WINDOW))
        self.assertContains(response, "several messages in a short time", status_code=429)
        self.assertEqual(ContactSubmission.objects.count(), allowed)
        self.assertEqual(len(mail.outbox), allowed)

    def test_another_client_is_not_limited_by_the_first(self):
        for _ in range(settings.CONTACT_SUBMISSIONS_PER_WINDOW):
            self.post(REMOTE_ADDR="198.51.100.7")
        self.assertEqual(self.post(REMOTE_ADDR="198.51.100.7").status_code, 429)
        self.assertThankYouPage(self.post(REMOTE_ADDR="203.0.113.9"))

    def test_client_may_write_again_once_the_window_has_passed(self):
        sent_at = timezone.now()
        with clock_at(sent_at):
            for _ in range(settings.CONTACT_SUBMISSIONS_PER_WINDOW):
                self.assertThankYouPage(self.post())
        with clock_at(sent_at + timedelta(seconds=settings.CONTACT_WINDOW - 1)):
            self.assertEqual(self.post().status_code, 429)
        with clock_at(sent_at + timedelta(seconds=settings.CONTACT_WINDOW + 1)):
            self.assertThankYouPage(self.post())
        self.assertEqual(
            ContactSubmission.objects.count(), settings.CONTACT_SUBMISSIONS_PER_WINDOW + 1
        )

    @override_settings(CONTACT_SUBMISSIONS_PER_WINDOW=2)
    def test_limit_follows_the_setting(self):
        self.post()
        self.post()
        self.assertEqual(self.post().status_code, 429)
        self.assertEqual(ContactSubmission.objects.count(), 2)


class ContactSubmissionsAdminTests(ContactFormTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.owner = cls.create_superuser("owner")
        visitor = Client()
        for data in (
            VALID,
            {**VALID, "your_name": "Sara Conti", "message": "Private showreel, please."},
        ):
            assert visitor.post(cls.url, data).status_code == 200

    def setUp(self):
        self.client.force_login(self.owner)

    def test_owner_sees_the_messages_in_the_admin(self):
        response = self.client.get(reverse("wagtailforms:list_submissions", args=[self.contact.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Giulia Ferri")
        self.assertContains(response, "Private showreel, please.")

    def test_owner_exports_the_messages_as_csv(self):
        url = reverse("wagtailforms:list_submissions", args=[self.contact.pk])
        self.assertEqual(url, f"/admin/forms/submissions/{self.contact.pk}/")
        response = self.client.get(url, {"export": "csv"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("text/csv"))
        self.assertIn("attachment", response["Content-Disposition"])
        content = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(content)))
        header, *lines = rows
        self.assertEqual(header[-3:], ["Your name", "Your email", "Message"])
        self.assertNotIn(HONEYPOT_FIELD, " ".join(header).lower())
        self.assertEqual(
            sorted(line[-3:] for line in lines),
            sorted(
                [
                    [VALID["your_name"], VALID["your_email"], VALID["message"]],
                    ["Sara Conti", VALID["your_email"], "Private showreel, please."],
                ]
            ),
        )

    def test_visitors_cannot_read_the_messages(self):
        self.client.logout()
        url = reverse("wagtailforms:list_submissions", args=[self.contact.pk])
        response = self.client.get(url, {"export": "csv"})
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("wagtailadmin_login"), response["Location"])
