"""The sitemap lists public pages only: nothing behind the member gate appears in it."""

from wagtail.contrib.sitemaps import Sitemap

from portal.accounts.gate import page_needs_gate


class PublicPagesSitemap(Sitemap):
    def items(self):
        pages = super().items()
        gated = [page.pk for page in pages if page_needs_gate(page)]
        return pages.exclude(pk__in=gated)
