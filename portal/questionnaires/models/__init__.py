from .opinions import Opinion, OpinionCategory, OpinionStatus
from .pages import Mode, QuestionnaireIndexPage, QuestionnairePage
from .responses import (
    Answer,
    IdentifiedResponse,
    QuestionnaireReminder,
    ResponseDraft,
    ResponseSheet,
    Roster,
    RosterEntry,
)

__all__ = [
    "Answer",
    "IdentifiedResponse",
    "Mode",
    "Opinion",
    "OpinionCategory",
    "OpinionStatus",
    "QuestionnaireIndexPage",
    "QuestionnairePage",
    "QuestionnaireReminder",
    "ResponseDraft",
    "ResponseSheet",
    "Roster",
    "RosterEntry",
]
