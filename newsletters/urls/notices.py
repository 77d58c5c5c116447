"""Feeds and member actions of notices; ``/notices/`` and ``/notices/<slug>/`` are Wagtail pages."""

from django.urls import path

from ..views import notices as views

app_name = "notices"
urlpatterns = [
    path("feed/", views.public_feed, name="feed"),
    path("feed/revoke/", views.feed_revoke, name="feed_revoke"),
    path("feed/<slug:token>/", views.personal_feed, name="personal_feed"),
    path("<int:page_id>/acknowledge/", views.acknowledge, name="acknowledge"),
]
