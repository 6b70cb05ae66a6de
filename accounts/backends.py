"""Authentication backend: log in with the username or the email address."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from accounts import selectors


class UsernameOrEmailBackend(ModelBackend):
    """Django's ModelBackend, finding the account by username, else by email (both
    case-insensitive). Inactive accounts are refused, as ModelBackend does."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        User = get_user_model()
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = selectors.user_get_by_identifier(identifier=username)
        if user is None:
            User().set_password(password)  # the same hashing work as for a real account (timing)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
