from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .gate import gate_response, page_needs_gate
from .viewsets import CertificateViewSet

register_snippet(CertificateViewSet)


@hooks.register("before_serve_page", order=-100)
def member_gate_for_pages(page, request, serve_args, serve_kwargs):
    if page_needs_gate(page):
        return gate_response(request)
    return None
