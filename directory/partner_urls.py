from django.urls import path

from . import views as partners

app_name = "partners"

urlpatterns = [
    path("", partners.partner_list, name="list"),
    path("suggest/", partners.partner_suggest_view, name="suggest"),
    path("<slug:slug>/", partners.partner_detail, name="detail"),
    path("<slug:slug>/correct/", partners.partner_suggest_view, name="correct"),
]
