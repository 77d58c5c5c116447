from django.urls import path

from ..views import digests

app_name = "digest"
urlpatterns = [
    path("", digests.digest_settings, name="settings"),
    path("unsubscribe/<str:token>/", digests.unsubscribe, name="unsubscribe"),
]
