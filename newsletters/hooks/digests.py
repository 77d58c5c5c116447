from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from ..services import digests


@hooks.register("register_log_actions")
def register_digest_log_actions(actions):
    actions.register_action(
        digests.DIGEST_CHOOSE, _("Digest setting changed"), _("Changed the e-mail digest setting")
    )
    actions.register_action(
        digests.DIGEST_UNSUBSCRIBE, _("Digest unsubscribed"), _("Left the e-mail digest")
    )
    actions.register_action(digests.DIGEST_SEND, _("Digest sent"), _("Was sent the e-mail digest"))
