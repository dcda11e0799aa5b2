"""`manage.py ensure_admin`: a superuser to log in with, created once, and how to log in."""

import os
import secrets
import string
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

PASSWORD_FILE = ".admin-password"  # noqa: S105 - a file name, not a password
# Letters and digits only: easy to copy from a terminal, about 119 bits in 20 characters.
PASSWORD_ALPHABET = string.ascii_letters + string.digits
PASSWORD_LENGTH = 20


def write_private_file(path, text):
    """Write text to a file only its owner can read, whatever umask or file was there."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)
    os.chmod(path, 0o600)


class Command(BaseCommand):
    help = (
        "Create a superuser if there is none (ADMIN_USERNAME, default admin; ADMIN_PASSWORD or a "
        "generated password kept in .admin-password) and print how to log in."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password-file",
            default=str(Path(settings.BASE_DIR) / PASSWORD_FILE),
            help="Where a generated password is kept (mode 600). Default: .admin-password "
            "in the project folder.",
        )

    def handle(self, *args, password_file, **options):
        User = get_user_model()
        password_file = Path(password_file)
        username = os.environ.get("ADMIN_USERNAME", "").strip() or "admin"
        admin_url = f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/admin/"

        superusers = User.objects.filter(is_superuser=True)
        if superusers.exists():
            user = superusers.filter(username=username).first() or superusers.order_by("pk").first()
            self.stdout.write(
                f"Admin: {admin_url}  user: {user.get_username()}  "
                f"password: {self.known_password(user, password_file)}"
            )
            return

        if User.objects.filter(username=username).exists():
            raise CommandError(
                f"A user named {username!r} exists but is not a superuser. Set ADMIN_USERNAME "
                "to another name, or make that user a superuser in the admin."
            )
        password = os.environ.get("ADMIN_PASSWORD", "")
        generated = not password
        if generated:
            password = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))
        User.objects.create_superuser(
            username=username, email=os.environ.get("ADMIN_EMAIL", ""), password=password
        )
        if generated:
            write_private_file(password_file, password + "\n")
            shown = password
        else:
            # A file left from an earlier database would now be wrong.
            password_file.unlink(missing_ok=True)
            shown = "the value of ADMIN_PASSWORD"
        self.stdout.write(self.style.SUCCESS(f"Created the superuser {username!r}."))
        self.stdout.write(f"Admin: {admin_url}  user: {username}  password: {shown}")

    def known_password(self, user, password_file):
        """Point at .admin-password while it still opens the account."""
        try:
            saved = password_file.read_text().strip()
        except OSError:
            saved = ""
        if saved and user.check_password(saved):
            return f"see {password_file.name}"
        return (
            "the one set for this account "
            f"(to choose a new one: manage.py changepassword {user.get_username()})"
        )
