"""Access passes and the shared password: unlocking, every way access ends, the rate limit,
the owner's admin. Every lock-out is checked on the very next request of a session that
was already unlocked.
"""

import re
import socket
from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from showreels.models import AccessPass, UnlockAttempt, UnlockRefusal
from tests import factories
from tests.conftest import built_once_per_module, clock_at

UA = "Mozilla/5.0 (X11; Linux x86_64) ProducerBrowser/1.0"
PASS_FORMAT = re.compile(r"^[a-z2-9]{5}(-[a-z2-9]{5}){4}$")


def build_tree():
    """Home with a private section of two showreels, and a private showreel on its own."""
    site = factories.build_site()
    home = site["home"]
    section = factories.ShowreelIndexPageFactory(parent=home, title="Collected reels")
    factories.make_private(section, password="section-shared-1")
    reel_a = factories.ShowreelPageFactory(
        parent=section, title="Harbour nights reel", slug="harbour-nights"
    )
    reel_b = factories.ShowreelPageFactory(
        parent=section, title="Desert unit reel", slug="desert-unit"
    )
    solo = factories.ShowreelPageFactory(parent=home, title="Winter feature reel", slug="winter")
    solo_restriction = factories.make_private(solo, password="solo-shared-1")
    return {
        **site,
        "section": section,
        "reel_a": reel_a,
        "reel_b": reel_b,
        "solo": solo,
        "solo_restriction": solo_restriction,
    }


built_tree = built_once_per_module(build_tree)


@pytest.fixture
def tree(db, built_tree):
    """The module's tree, loaded afresh for each test: what one test changes stays in it."""
    return {name: type(obj).objects.get(pk=obj.pk) for name, obj in built_tree.items()}


@pytest.fixture
def shared_password_on(settings):
    """The owner has turned on Wagtail's shared page password beside the passes."""
    settings.SHOWREEL_ALLOW_SHARED_PASSWORD = True


def unlock(client, page, password, **extra):
    return client.post(
        reverse("unlock_private_page", args=[page.pk]), {"password": password}, **extra
    )


def opens(client, page):
    """Whether this client sees the page itself (not the password form)."""
    response = client.get(page.url)
    return response.status_code == 200 and page.title in response.content.decode()


def assert_locked(client, page):
    response = client.get(page.url)
    assert response.status_code == 403
    body = response.content.decode()
    assert page.title not in body
    assert 'name="password"' in body


def assert_no_store(response):
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


# Issuing


def test_issue_returns_the_password_once_and_stores_only_its_hash(tree):
    access_pass, password = AccessPass.issue(label="Line producer", page=tree["reel_a"])
    stored = AccessPass.objects.get(pk=access_pass.pk)
    assert PASS_FORMAT.match(password)
    assert stored.lookup_key == password[:5]
    assert password not in stored.password_hash
    assert password[6:] not in stored.password_hash
    assert stored.check_password(password)
    assert not stored.check_password(password[:-1] + ("a" if password[-1] != "a" else "b"))
    # Nothing on the model gives it back.
    assert all(password not in str(value) for value in vars(stored).values())


def test_two_passes_never_share_a_password(tree):
    passwords = {AccessPass.issue(label=f"P{i}", page=tree["solo"])[1] for i in range(20)}
    assert len(passwords) == 20
    assert len({p[:5] for p in passwords}) == 20


# Using a pass


def test_pass_opens_its_page_and_records_the_use(client, tree):
    reel = tree["reel_a"]
    access_pass, password = AccessPass.issue(label="Line producer", page=reel)
    assert_locked(client, reel)

    response = unlock(client, reel, password, HTTP_USER_AGENT=UA)
    assert response.status_code == 302
    assert response["Location"] == reel.url
    assert opens(client, reel)

    access_pass.refresh_from_db()
    assert access_pass.use_count == 1
    assert access_pass.first_used_at is not None
    assert access_pass.last_used_at == access_pass.first_used_at
    assert access_pass.last_ip_prefix == "127.0.0.0/24"
    assert access_pass.last_user_agent == UA


def test_second_use_moves_last_used_but_keeps_first_used(client, tree):
    reel = tree["reel_a"]
    access_pass, password = AccessPass.issue(label="Line producer", page=reel)
    first = timezone.now()
    second = first + timedelta(hours=2)
    with clock_at(first):
        unlock(client, reel, password)
    with clock_at(second):
        unlock(Client(), reel, password, HTTP_USER_AGENT="Second browser", REMOTE_ADDR="10.1.2.3")
    access_pass.refresh_from_db()
    assert access_pass.use_count == 2
    assert access_pass.first_used_at == first
    assert access_pass.last_used_at == second
    assert access_pass.last_ip_prefix == "10.1.2.0/24"
    assert access_pass.last_user_agent == "Second browser"


def test_password_is_accepted_with_capitals_and_surrounding_spaces(client, tree):
    reel = tree["solo"]
    _, password = AccessPass.issue(label="Producer", page=reel)
    response = unlock(client, reel, f"  {password.upper()} ")
    assert response.status_code == 302
    assert opens(client, reel)


def test_unlocking_gives_a_new_session_key(client, tree):
    reel = tree["solo"]
    _, password = AccessPass.issue(label="Producer", page=reel)
    client.get(reel.url)
    client.session.save()
    before = client.session.session_key
    unlock(client, reel, password)
    assert client.cookies["sessionid"].value != before


def test_pass_for_a_page_does_not_open_its_sibling(client, tree):
    _, password = AccessPass.issue(label="Producer", page=tree["reel_a"])
    unlock(client, tree["reel_a"], password)
    assert opens(client, tree["reel_a"])
    assert_locked(client, tree["reel_b"])
    assert_locked(client, tree["section"])
    # Nor does the password itself work there.
    response = unlock(client, tree["reel_b"], password)
    assert response.status_code == 403
    assert "does not open this page" in response.content.decode()


def test_pass_for_a_section_opens_every_showreel_inside(client, tree):
    _, password = AccessPass.issue(label="Producer", page=tree["section"])
    unlock(client, tree["section"], password)
    assert opens(client, tree["reel_a"])
    assert opens(client, tree["reel_b"])
    assert_locked(client, tree["solo"])


def test_section_pass_typed_on_a_child_page_opens_the_child(client, tree):
    _, password = AccessPass.issue(label="Producer", page=tree["section"])
    response = unlock(client, tree["reel_b"], password)
    assert response["Location"] == tree["reel_b"].url
    assert opens(client, tree["reel_b"])


# Every way access ends, on the next request


def test_expired_pass_locks_out_an_unlocked_session_on_next_request(client, tree):
    reel = tree["reel_a"]
    access_pass, password = AccessPass.issue(
        label="Producer", page=reel, expires_at=timezone.now() + timedelta(days=3)
    )
    unlock(client, reel, password)
    assert opens(client, reel)
    AccessPass.objects.filter(pk=access_pass.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert_locked(client, reel)


def test_revoked_pass_locks_out_on_next_request(client, tree):
    reel = tree["reel_a"]
    access_pass, password = AccessPass.issue(label="Producer", page=reel)
    unlock(client, reel, password)
    assert opens(client, reel)
    access_pass.revoke()
    assert_locked(client, reel)


def test_deleted_pass_locks_out_on_next_request(client, tree):
    reel = tree["reel_a"]
    access_pass, password = AccessPass.issue(label="Producer", page=reel)
    unlock(client, reel, password)
    access_pass.delete()
    assert_locked(client, reel)


def test_changed_shared_password_locks_out_unlocked_sessions(client, tree, shared_password_on):
    solo, restriction = tree["solo"], tree["solo_restriction"]
    unlock(client, solo, "solo-shared-1")
    assert opens(client, solo)
    restriction.password = "solo-shared-2"
    restriction.save()
    assert_locked(client, solo)
    unlock(client, solo, "solo-shared-2")
    assert opens(client, solo)


def test_pass_sessions_survive_a_shared_password_change(client, tree):
    solo, restriction = tree["solo"], tree["solo_restriction"]
    _, password = AccessPass.issue(label="Producer", page=solo)
    unlock(client, solo, password)
    restriction.password = "solo-shared-2"
    restriction.save()
    assert opens(client, solo)


def test_privacy_removed_and_added_again_locks_out_old_sessions(client, tree, shared_password_on):
    solo, restriction = tree["solo"], tree["solo_restriction"]
    shared_client, pass_client = client, Client()
    _, password = AccessPass.issue(label="Producer", page=solo)
    unlock(shared_client, solo, "solo-shared-1")
    unlock(pass_client, solo, password)
    assert opens(shared_client, solo)
    assert opens(pass_client, solo)

    restriction.delete()
    # A showreel is never public: it is given a new restriction at once.
    assert_locked(Client(), solo)
    assert_locked(shared_client, solo)
    assert_locked(pass_client, solo)

    factories.make_private(solo, password="solo-shared-1")  # even with the same password
    assert_locked(shared_client, solo)
    assert_locked(pass_client, solo)


def test_pass_stops_opening_pages_below_it_once_its_own_page_is_public(client, tree):
    """A section of another type than showreels can be made public again by the owner."""
    films = tree["films"]
    sheet = factories.FilmSheetPageFactory(parent=films, title="Unreleased feature")
    factories.make_private(films, password="films-shared")
    _, password = AccessPass.issue(label="Producer", page=films)
    factories.make_private(sheet, password="sheet-own")
    unlock(client, sheet, password)
    assert opens(client, sheet)

    PageViewRestriction.objects.filter(page=films).delete()
    assert_locked(client, sheet)
    assert unlock(client, sheet, password).status_code == 403


def test_shared_password_is_off_by_default(client, tree):
    response = unlock(client, tree["solo"], "solo-shared-1")
    assert response.status_code == 403
    assert_locked(client, tree["solo"])


def test_shared_password_is_refused_when_switched_off(client, tree, settings):
    settings.SHOWREEL_ALLOW_SHARED_PASSWORD = True
    solo = tree["solo"]
    unlock(client, solo, "solo-shared-1")
    assert opens(client, solo)

    settings.SHOWREEL_ALLOW_SHARED_PASSWORD = False
    assert_locked(client, solo)
    other = Client()
    response = unlock(other, solo, "solo-shared-1")
    assert response.status_code == 403
    assert "does not open this page" in response.content.decode()
    assert_locked(other, solo)
    # Passes keep working.
    _, password = AccessPass.issue(label="Producer", page=solo)
    assert unlock(other, solo, password).status_code == 302
    assert opens(other, solo)


def test_wagtails_own_password_endpoint_runs_the_same_check(client, tree, shared_password_on):
    solo, restriction = tree["solo"], tree["solo_restriction"]
    url = f"/_util/authenticate_with_password/{restriction.pk}/{solo.pk}/"
    response = client.post(url, {"password": "wrong-one", "return_url": "https://evil.example/"})
    assert response.status_code == 403
    response = client.post(
        url, {"password": "solo-shared-1", "return_url": "https://evil.example/"}
    )
    assert response["Location"] == solo.url
    assert UnlockAttempt.objects.filter(page=solo).count() == 2


# Messages


def test_wrong_password_says_so_and_shows_nothing_of_the_page(client, tree):
    response = unlock(client, tree["solo"], "not-the-password")
    body = response.content.decode()
    assert response.status_code == 403
    assert "That access pass does not open this page" in body
    assert tree["solo"].title not in body


def test_expired_pass_has_its_own_message(client, tree):
    reel = tree["solo"]
    _, password = AccessPass.issue(
        label="Producer", page=reel, expires_at=timezone.now() - timedelta(minutes=1)
    )
    body = unlock(client, reel, password).content.decode()
    assert "This pass has expired" in body
    assert_locked(client, reel)


def test_revoked_pass_has_its_own_message(client, tree):
    reel = tree["solo"]
    access_pass, password = AccessPass.issue(label="Producer", page=reel)
    access_pass.revoke()
    body = unlock(client, reel, password).content.decode()
    assert "This pass has been withdrawn" in body
    assert_locked(client, reel)


def test_empty_password_is_refused_and_logged(client, tree):
    response = unlock(client, tree["solo"], "")
    assert response.status_code == 400
    assert UnlockAttempt.objects.get().outcome == UnlockAttempt.WRONG


# Rate limit and the log


def fail_at(client, page, moment, times):
    """`times` wrong passwords from this client, all logged at `moment`."""
    for _ in range(times):
        assert unlock(client, page, "guess").status_code == 403
    UnlockAttempt.objects.filter(page=page).update(created_at=moment)


def test_too_many_failures_answer_429_with_retry_after(client, tree, settings, shared_password_on):
    settings.SHOWREEL_UNLOCK_ATTEMPTS = 3
    settings.SHOWREEL_UNLOCK_WINDOW = 600
    solo = tree["solo"]
    failed_at = timezone.now()
    fail_at(client, solo, failed_at, 3)
    with clock_at(failed_at + timedelta(seconds=10.5)):
        response = unlock(client, solo, "solo-shared-1")  # right, but too late
    assert response.status_code == 429
    # The failures leave the 600 s window 589.5 s later: rounded up to whole seconds.
    assert response["Retry-After"] == "590"
    assert "Too many wrong access passes. Please wait 9 minutes" in response.content.decode()
    assert_no_store(response)
    assert_locked(client, solo)


def test_rate_limit_is_per_client_and_page(client, tree, settings, shared_password_on):
    settings.SHOWREEL_UNLOCK_ATTEMPTS = 2
    solo = tree["solo"]
    for _ in range(2):
        unlock(client, solo, "guess")
    assert unlock(client, solo, "guess").status_code == 429
    # Another page, or another client: not limited.
    assert unlock(client, tree["section"], "section-shared-1").status_code == 302
    assert unlock(Client(), solo, "solo-shared-1", REMOTE_ADDR="10.9.9.9").status_code == 302


def test_rate_limit_lifts_when_the_failures_leave_the_window(
    client, tree, settings, shared_password_on
):
    settings.SHOWREEL_UNLOCK_ATTEMPTS = 3
    settings.SHOWREEL_UNLOCK_WINDOW = 600
    solo = tree["solo"]
    failed_at = timezone.now()
    fail_at(client, solo, failed_at, 3)
    with clock_at(failed_at + timedelta(seconds=599.5)):
        response = unlock(client, solo, "solo-shared-1")
    assert response.status_code == 429
    assert response["Retry-After"] == "1"

    with clock_at(failed_at + timedelta(seconds=600.5)):
        assert unlock(client, solo, "solo-shared-1").status_code == 302
    assert opens(client, solo)


def test_retry_after_counts_from_the_failure_that_must_leave_the_window(client, tree, settings):
    settings.SHOWREEL_UNLOCK_ATTEMPTS = 2
    settings.SHOWREEL_UNLOCK_WINDOW = 600
    solo = tree["solo"]
    unlock(client, solo, "guess")
    unlock(client, solo, "guess")
    now = timezone.now()
    first, second = UnlockAttempt.objects.order_by("pk")
    UnlockAttempt.objects.filter(pk=first.pk).update(created_at=now - timedelta(seconds=500.5))
    UnlockAttempt.objects.filter(pk=second.pk).update(created_at=now - timedelta(seconds=100))
    with clock_at(now):
        response = unlock(client, solo, "guess")
    # When the first leaves the window (99.5 s from now), one more attempt is allowed.
    assert response.status_code == 429
    assert response["Retry-After"] == "100"


def test_every_attempt_is_logged_with_its_outcome(client, tree, settings, shared_password_on):
    settings.SHOWREEL_UNLOCK_ATTEMPTS = 3
    reel = tree["solo"]
    good, good_pw = AccessPass.issue(label="Good", page=reel)
    gone, gone_pw = AccessPass.issue(label="Gone", page=reel)
    old, old_pw = AccessPass.issue(
        label="Old", page=reel, expires_at=timezone.now() - timedelta(days=1)
    )
    gone.revoke()
    other = Client()
    unlock(client, reel, "wrong", HTTP_USER_AGENT=UA)
    unlock(client, reel, gone_pw)
    unlock(client, reel, old_pw)
    unlock(client, reel, good_pw)  # over the limit: refused unchecked, only counted
    unlock(other, reel, good_pw, REMOTE_ADDR="10.0.0.7")
    unlock(Client(), reel, "solo-shared-1", REMOTE_ADDR="10.0.0.8")

    log = list(
        UnlockAttempt.objects.order_by("pk").values_list("outcome", "access_pass_id", "page_id")
    )
    assert log == [
        (UnlockAttempt.WRONG, None, reel.pk),
        (UnlockAttempt.REVOKED, gone.pk, reel.pk),
        (UnlockAttempt.EXPIRED, old.pk, reel.pk),
        (UnlockAttempt.SUCCESS, good.pk, reel.pk),
        (UnlockAttempt.SUCCESS, None, reel.pk),
    ]
    assert UnlockRefusal.objects.get().refused == 1
    first = UnlockAttempt.objects.order_by("pk").first()
    assert first.user_agent == UA
    assert first.client and "127.0.0.1" not in first.client


# Who sees what, and caching


def test_editors_see_private_pages_without_a_password(client, tree, admin_user):
    client.force_login(admin_user)
    for page in (tree["solo"], tree["section"], tree["reel_a"]):
        assert opens(client, page)


def test_logged_in_user_without_admin_access_does_not_see_private_pages(
    client, tree, django_user_model
):
    user = django_user_model.objects.create_user("visitor", password="pw-visitor-1")
    client.force_login(user)
    assert_locked(client, tree["solo"])


def test_private_responses_are_never_cached_by_others(client, tree, shared_password_on):
    solo = tree["solo"]
    assert_no_store(client.get(solo.url))  # the password form
    assert_no_store(unlock(client, solo, "wrong"))
    assert_no_store(unlock(client, solo, "solo-shared-1"))  # the redirect
    assert_no_store(client.get(solo.url))  # the page itself


def test_public_page_naming_a_private_page_is_private_for_that_visitor(
    client, tree, shared_password_on
):
    solo = tree["solo"]
    solo.show_in_menus = True
    solo.save_revision().publish()
    anonymous = client.get(tree["about"].url)
    assert solo.title not in anonymous.content.decode()
    assert "no-store" not in anonymous.get("Cache-Control", "")

    unlock(client, solo, "solo-shared-1")
    granted = client.get(tree["about"].url)
    assert solo.title in granted.content.decode()
    assert_no_store(granted)


def test_login_restricted_page_sends_to_the_login_page(client, tree):
    page = factories.ShowreelPageFactory(parent=tree["home"], title="Crew only", slug="crew")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(page.url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert_no_store(response)


def test_unlock_url_of_a_draft_page_is_not_found(client, tree):
    draft = factories.ShowreelPageFactory(parent=tree["home"], title="Unfinished", live=False)
    factories.make_private(draft)
    assert client.get(reverse("unlock_private_page", args=[draft.pk])).status_code == 404
    assert unlock(client, draft, "shared-password-1").status_code == 404


def test_unlock_url_of_a_public_page_only_redirects_to_it(client, tree):
    response = client.get(reverse("unlock_private_page", args=[tree["about"].pk]))
    assert response.status_code == 302
    assert response["Location"] == tree["about"].url


def test_alias_of_a_page_inside_a_private_section_is_private_too(client, tree):
    alias = tree["reel_a"].create_alias(parent=tree["home"], update_slug="reel-a-alias")
    response = client.get(alias.url)
    assert response.status_code == 403
    assert tree["reel_a"].title not in response.content.decode()


# First-use email


def test_first_use_sends_one_email_to_the_owner(client, tree, settings):
    settings.SHOWREEL_NOTIFY_EMAIL = "owner@example.com"
    reel = tree["solo"]
    access_pass, password = AccessPass.issue(label="Northlight line producer", page=reel)
    unlock(client, reel, password, HTTP_USER_AGENT=UA)
    unlock(Client(), reel, password)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["owner@example.com"]
    assert "Northlight line producer" in message.subject
    assert reel.title in message.body
    assert "127.0.0.0/24" in message.body
    assert UA in message.body
    assert password not in message.body
    assert reverse("access_passes:inspect", args=[access_pass.pk]) in message.body


def test_no_email_without_a_notify_address(client, tree, settings):
    settings.SHOWREEL_NOTIFY_EMAIL = ""
    _, password = AccessPass.issue(label="Producer", page=tree["solo"])
    unlock(client, tree["solo"], password)
    assert mail.outbox == []


def test_a_failing_mail_server_never_stops_unlocking(client, tree, settings):
    # A real SMTP connection to a port nobody listens on: refused.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 2
    settings.SHOWREEL_NOTIFY_EMAIL = "owner@example.com"
    reel = tree["solo"]
    access_pass, password = AccessPass.issue(label="Producer", page=reel)
    response = unlock(client, reel, password)
    assert response.status_code == 302
    assert opens(client, reel)
    access_pass.refresh_from_db()
    assert access_pass.first_used_at is not None


# The owner's admin


@pytest.fixture
def owner(client, admin_user):
    client.force_login(admin_user)
    return admin_user


def test_admin_create_view_shows_the_password_once(client, tree, owner):
    response = client.post(
        reverse("access_passes:add"),
        {"label": "Line producer, Northlight", "page": tree["solo"].pk, "valid_for": "none"},
    )
    assert response.status_code == 200
    assert_no_store(response)
    access_pass = AccessPass.objects.get()
    password = re.search(r'value="([a-z2-9]{5}(?:-[a-z2-9]{5}){4})"', response.content.decode())[1]
    assert access_pass.check_password(password)
    assert access_pass.created_by == owner
    assert password not in access_pass.password_hash

    for url in (
        reverse("access_passes:index"),
        reverse("access_passes:edit", args=[access_pass.pk]),
        reverse("access_passes:inspect", args=[access_pass.pk]),
        reverse("access_passes:revoke", args=[access_pass.pk]),
        reverse("access_passes:history", args=[access_pass.pk]),
    ):
        body = client.get(url).content.decode()
        assert password not in body, url
        assert access_pass.password_hash not in body, url
        assert "Line producer, Northlight" in body, url

    # And the password really opens the page.
    visitor = Client()
    assert unlock(visitor, tree["solo"], password).status_code == 302
    assert opens(visitor, tree["solo"])


def test_admin_create_form_lists_only_password_protected_pages(client, tree, owner):
    body = client.get(reverse("access_passes:add")).content.decode()
    for page in ("solo", "section", "reel_a", "reel_b"):
        assert f'value="{tree[page].pk}"' in body
    assert f'value="{tree["about"].pk}"' not in body


def test_admin_create_refuses_a_public_page_and_says_why(client, tree, owner):
    response = client.post(
        reverse("access_passes:add"), {"label": "Producer", "page": tree["about"].pk}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not AccessPass.objects.exists()
    assert "first make it private" in response.content.decode()


def test_admin_create_refuses_an_expiry_in_the_past(client, tree, owner):
    yesterday = (timezone.localtime() - timedelta(days=1)).strftime("%d/%m/%Y")
    response = client.post(
        reverse("access_passes:add"),
        {
            "label": "Producer",
            "page": tree["solo"].pk,
            "valid_for": "date",
            "expires_on": yesterday,
        },
    )
    assert "is already over" in response.content.decode()
    assert not AccessPass.objects.exists()


def test_admin_edit_changes_label_and_expiry_only(client, tree, owner):
    access_pass, password = AccessPass.issue(label="Producer", page=tree["solo"])
    old_hash = access_pass.password_hash
    last_day = (timezone.localtime() + timedelta(days=10)).date()
    # The end of that day in the site's time zone.
    expiry = timezone.make_aware(
        datetime.combine(last_day, time.max), timezone.get_default_timezone()
    )
    response = client.post(
        reverse("access_passes:edit", args=[access_pass.pk]),
        {
            "label": "Producer (renamed)",
            "valid_for": "date",
            "expires_on": last_day.strftime("%d/%m/%Y"),
            "page": tree["reel_a"].pk,
            "password_hash": "x",
            "revoked_at": "",
        },
    )
    assert response.status_code == 302
    access_pass.refresh_from_db()
    assert access_pass.label == "Producer (renamed)"
    assert access_pass.expires_at == expiry
    assert access_pass.page_id == tree["solo"].pk
    assert access_pass.password_hash == old_hash
    assert access_pass.check_password(password)


def test_admin_listing_shows_status_and_use(client, tree, owner):
    active, password = AccessPass.issue(label="Active pass", page=tree["solo"])
    revoked, _ = AccessPass.issue(label="Revoked pass", page=tree["solo"])
    revoked.revoke()
    AccessPass.issue(
        label="Expired pass", page=tree["solo"], expires_at=timezone.now() - timedelta(hours=1)
    )
    unlock(Client(), tree["solo"], password, HTTP_USER_AGENT=UA)
    body = client.get(reverse("access_passes:index")).content.decode()
    for label in ("Active pass", "Revoked pass", "Expired pass"):
        assert label in body
    statuses = re.findall(r'<span class="w-status[^"]*">\s*(\w+)\s*</span>', body)
    assert sorted(statuses) == ["Active", "Expired", "Revoked"]
    assert "127.0.0.0/24" in body
    assert "ProducerBrowser" in body
    filtered = client.get(reverse("access_passes:index") + "?status=revoked").content.decode()
    assert "Revoked pass" in filtered
    assert "Active pass" not in filtered


def test_admin_revoke_asks_then_locks_out_on_next_request(client, tree, owner):
    reel = tree["solo"]
    access_pass, password = AccessPass.issue(label="Producer", page=reel)
    visitor = Client()
    unlock(visitor, reel, password)
    assert opens(visitor, reel)

    url = reverse("access_passes:revoke", args=[access_pass.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Yes, revoke" in confirm.content.decode()
    access_pass.refresh_from_db()
    assert not access_pass.is_revoked  # asking changes nothing

    response = client.post(url)
    assert response.status_code == 302
    access_pass.refresh_from_db()
    assert access_pass.is_revoked
    assert_locked(visitor, reel)


def test_admin_revoke_needs_a_post_with_a_csrf_token(tree, admin_user):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(admin_user)
    access_pass, _ = AccessPass.issue(label="Producer", page=tree["solo"])
    response = csrf_client.post(reverse("access_passes:revoke", args=[access_pass.pk]))
    assert response.status_code == 403
    access_pass.refresh_from_db()
    assert not access_pass.is_revoked


def test_admin_inspect_shows_the_recent_attempts_of_the_pass(client, tree, owner):
    access_pass, password = AccessPass.issue(label="Producer", page=tree["solo"])
    unlock(Client(), tree["solo"], password, HTTP_USER_AGENT=UA)
    access_pass.revoke()
    unlock(Client(), tree["solo"], password, HTTP_USER_AGENT="Later browser")
    body = client.get(reverse("access_passes:inspect", args=[access_pass.pk])).content.decode()
    assert "Unlocked" in body
    assert "Revoked pass" in body
    assert "Later browser" in body
    assert "127.0.0.0/24" in body
    assert access_pass.lookup_key not in body


def test_admin_unlock_attempts_listing_is_read_only(client, tree, owner):
    unlock(Client(), tree["solo"], "guess", HTTP_USER_AGENT=UA)
    body = client.get(reverse("unlock_attempts:index")).content.decode()
    assert "Wrong password" in body
    assert UA in body
    assert "guess" not in body  # passwords typed are never stored
    for name in ("add", "edit", "delete"):
        with pytest.raises(NoReverseMatch):
            reverse(f"unlock_attempts:{name}", args=[] if name == "add" else [1])


def test_admin_needs_access_pass_permissions(client, tree, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="pw-editor-1")
    editors = Group.objects.create(name="Plain editors")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(editors)
    client.force_login(editor)
    access_pass, _ = AccessPass.issue(label="Producer", page=tree["solo"])

    assert "Access passes" not in client.get(reverse("wagtailadmin_home")).content.decode()
    for url in (
        reverse("access_passes:index"),
        reverse("access_passes:add"),
        reverse("access_passes:revoke", args=[access_pass.pk]),
        reverse("access_passes:inspect", args=[access_pass.pk]),
        reverse("unlock_attempts:index"),
    ):
        response = client.get(url)
        # Wagtail turns the editor back to the dashboard with a "permission denied" message.
        assert response.status_code == 302, url
        assert response["Location"] == reverse("wagtailadmin_home"), url
        assert "Producer" not in response.content.decode()
    client.post(reverse("access_passes:revoke", args=[access_pass.pk]))
    access_pass.refresh_from_db()
    assert not access_pass.is_revoked

    managers = Group.objects.create(name="Pass managers")
    for codename in ("add_accesspass", "change_accesspass", "delete_accesspass"):
        managers.permissions.add(Permission.objects.get(codename=codename))
    editor.groups.add(managers)
    assert "Access passes" in client.get(reverse("wagtailadmin_home")).content.decode()
    assert client.get(reverse("access_passes:index")).status_code == 200
    assert client.get(reverse("unlock_attempts:index")).status_code == 200
