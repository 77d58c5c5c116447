"""The models of the domain apps the dashboard reads, looked up by name in the app registry.

The project package never imports the domain apps (``directory``, ``cases``, ``newsletters``):
their models are fetched here, by label, when a figure is computed. Only reads happen through
them; every write stays in the app's own services.
"""

from django.apps import apps


def model(label: str):
    return apps.get_model(label)


def profile():
    return model("directory.CoordinatorProfile")


def profile_field():
    return model("directory.ProfileField")


def profile_language():
    return model("directory.ProfileLanguage")


def profile_prefecture():
    """The link between a profile and its areas of activity (``coordinatorprofile``,
    ``prefecture``)."""
    return profile().prefectures.through


def consent():
    return model("directory.Consent")


def partner():
    return model("directory.Partner")


def case_study():
    return model("cases.CaseStudyPage")


def case_moderation_task():
    return model("cases.CaseModerationTask")


def notice():
    return model("newsletters.NoticePage")


def acknowledgement():
    return model("newsletters.Acknowledgement")


def choices(label: str, field: str) -> list[tuple[str, str]]:
    """The choices of a model field (values and their translatable labels)."""
    return list(model(label)._meta.get_field(field).choices)
