from pathlib import Path

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from directory import views as directory_views
from portal.accounts import views as account_views
from portal.sitemaps import PublicPagesSitemap

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/profile/", directory_views.profile_edit, name="profile"),
    path("accounts/profile/export/", directory_views.profile_export, name="profile_export"),
    path("accounts/profile/photo/", directory_views.own_photo, name="profile_photo"),
    path("accounts/", include("portal.accounts.urls")),
    path("directory/", include("directory.urls")),
    path("partners/", include("directory.partner_urls")),
    path("coordinators/", directory_views.public_list, name="public_list"),
    path("coordinators/<int:pk>/photo/", directory_views.public_photo, name="public_photo"),
    path("members/", account_views.members_home, name="members"),
    # Feeds, acknowledgements and confirmation links; the pages themselves are Wagtail pages.
    path("notices/", include("newsletters.urls.notices")),
    path("newsletters/", include("newsletters.urls.interviews")),
    path("digest/", include("newsletters.urls.digests")),
    path("cases/", include("cases.urls")),
    path("opinions/", include("portal.questionnaires.opinions.urls")),
    path("search/", include("search.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PublicPagesSitemap}}, name="sitemap"),
    path("verify/", account_views.verify_lookup, name="verify_lookup"),
    path("verify/<str:number>/", account_views.verify, name="verify"),
    path("verify/<str:number>/badge.json", account_views.verify_badge, name="verify_badge"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    # Images only: documents are always served through /documents/, which checks their privacy.
    for folder in ("images", "original_images"):
        urlpatterns += static(
            f"{settings.MEDIA_URL}{folder}/", document_root=Path(settings.MEDIA_ROOT) / folder
        )

urlpatterns += [path("", include(wagtail_urls))]
