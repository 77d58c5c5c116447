from django.urls import path

from ..views import interviews

app_name = "newsletters"
urlpatterns = [
    path("confirm/<str:token>/", interviews.confirm, name="confirm"),
]
