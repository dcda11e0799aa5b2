"""Sign-in throttling for requests (django-axes), and nothing in its way elsewhere."""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend


class SignInThrottleBackend(AxesStandaloneBackend):
    """django-axes' check of each sign-in request against its limits.

    Axes refuses `authenticate()` calls that carry no request; those come from code, not
    from a person signing in (the test client, a shell), so they skip the throttle and go
    on to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        """Sessions that name this backend (it comes first) load users as Django does."""
        return ModelBackend().get_user(user_id)
