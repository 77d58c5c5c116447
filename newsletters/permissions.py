"""Page permissions of newsletter issues.

An issue may be published only once every interviewee confirmed exactly the interviews being
published (see ``selectors.interviews.newsletter_publish_allowed``). The admin's publish paths are
guarded by hooks (``hooks/interviews.py``); this tester applies the same rule wherever Wagtail
asks a page whether a user may publish it, including ``Revision.publish(user=…)`` and the end of
a workflow, once ``NewsletterIssuePage.permissions_for_user`` returns it.
"""

from wagtail.models import PagePermissionTester

from .selectors.interviews import newsletter_publish_allowed


class NewsletterIssuePermissionTester(PagePermissionTester):
    def can_publish(self):
        if not super().can_publish():
            return False
        if not hasattr(self, "_interviewees_confirmed"):
            self._interviewees_confirmed = newsletter_publish_allowed(self.page)
        return self._interviewees_confirmed

    # Wagtail derives these from ``can_publish``; they do not publish content, so they keep the
    # plain publish permission.
    def can_set_view_restrictions(self):
        return super().can_publish()

    def can_unschedule(self):
        return super().can_publish()
