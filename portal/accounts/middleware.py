from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
    """Use the signed-in user's preferred language when this browser has made no choice yet.

    Order of precedence: the language cookie (a choice made in this browser), then the profile,
    then ``Accept-Language`` (Django's LocaleMiddleware), then Japanese.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.preferred_language in dict(settings.LANGUAGES)
        ):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)
