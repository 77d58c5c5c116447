from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.directory_list, name="list"),
    path("<int:pk>/", views.directory_detail, name="detail"),
    path("<int:pk>/photo/", views.directory_photo, name="photo"),
]
