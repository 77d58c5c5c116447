"""The opinion box for members (included under ``/opinions/``)."""

from django.urls import path

from . import views

app_name = "opinions"
urlpatterns = [
    path("", views.opinion_list, name="list"),
    path("new/", views.opinion_create, name="new"),
    path("mine/", views.own_opinion_list, name="mine"),
]
