import pytest

from .test_consent import build_listed


@pytest.fixture
def listed(make_user, issue_certificate):
    """``listed(username, consents={...}, …)``: see ``build_listed``."""

    def build(username="holder", **kwargs):
        return build_listed(make_user, issue_certificate, username, **kwargs)

    return build
