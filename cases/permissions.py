"""Page permissions of case studies.

A case is published only by moderators and administrators (agency editors and coordinators never
publish one), and never while the anonymisation assistant finds something serious in it that the
author neither fixed nor justified (``selectors.anonymisation.open_findings``). Wagtail asks this
tester wherever a page is published with a user, including ``Revision.publish(user=…)`` and the
end of the *Case moderation* workflow; the admin's own publish paths are closed by
``hooks/moderation.py`` so that every publication goes through the moderators' approval.
"""

from wagtail.models import PagePermissionTester

from .selectors.anonymisation import open_findings
from .selectors.moderation import latest_case, may_publish_cases


class CaseStudyPermissionTester(PagePermissionTester):
    def can_publish(self):
        if not super().can_publish():
            return False
        if not may_publish_cases(self.user):
            return False
        if not hasattr(self, "_no_open_findings"):
            self._no_open_findings = self._anonymised()
        return self._no_open_findings

    def _anonymised(self) -> bool:
        # The content being published (a revision's copy of the page) and the latest draft.
        if open_findings(self.page):
            return False
        if self.page.pk is None:
            return True
        return not open_findings(latest_case(self.page))

    # Wagtail derives these from ``can_publish``; they do not publish content, so they keep the
    # plain publish permission.
    def can_set_view_restrictions(self):
        return super().can_publish()

    def can_unschedule(self):
        return super().can_publish()
