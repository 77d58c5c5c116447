"""Member pages of case studies that are not Wagtail pages (the library and each case are)."""

from django.urls import path

from .views import submission

app_name = "cases"
urlpatterns = [
    path("submit/", submission.case_create, name="submit"),
    path("mine/", submission.own_case_list, name="mine"),
    path("<int:pk>/edit/", submission.case_edit, name="edit"),
    path("<int:pk>/preview/", submission.case_preview, name="preview"),
]
