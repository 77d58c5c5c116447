"""The portal's roles (Django groups) and the exact permissions each one holds.

Data migrations create the groups from these definitions; ``tests/portal/accounts/test_roles.py``
checks that the database matches them, so a change here needs a migration too.
"""

from django.utils.translation import gettext_lazy as _

COORDINATOR = "Coordinator"
AGENCY_EDITOR = "Agency editor"
MODERATOR = "Moderator"
ADMINISTRATOR = "Administrator"

ROLE_LABELS = {
    COORDINATOR: _("Coordinator"),
    AGENCY_EDITOR: _("Agency editor"),
    MODERATOR: _("Moderator"),
    ADMINISTRATOR: _("Administrator"),
}

STAFF_ROLES = (AGENCY_EDITOR, MODERATOR, ADMINISTRATOR)

_TAXONOMY_MODELS = ("field", "prefecture", "language", "qualification", "immigrationbureau")

# Model permissions ("app_label.codename") per group.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    # Coordinators use the member area only; they hold no model permission.
    COORDINATOR: frozenset(),
    # Editors write content and keep the shared vocabulary; publishing goes through a workflow,
    # and they never manage users, groups or certificates.
    AGENCY_EDITOR: frozenset(
        {"wagtailadmin.access_admin"}
        | {
            f"taxonomy.{action}_{model}"
            for model in _TAXONOMY_MODELS
            for action in ("add", "change")
        }
        # Editors review partner suggestions; approving publishes, which needs this permission.
        # The admin hides the direct "Publish" action from them (directory/wagtail_hooks.py).
        | {"directory.add_partner", "directory.change_partner", "directory.publish_partner"}
    ),
    # Moderators review case studies: their page permissions are given on the case library page
    # itself when it is created (cases.services.library.assign_case_moderation).
    MODERATOR: frozenset({"wagtailadmin.access_admin"}),
    ADMINISTRATOR: frozenset(
        {"wagtailadmin.access_admin", "home.change_sitesettings"}
        | {f"accounts.{a}_user" for a in ("add", "change", "delete", "view")}
        | {f"auth.{a}_group" for a in ("add", "change", "delete", "view")}
        | {f"accounts.{a}_certificate" for a in ("add", "change", "view")}
        | {
            "accounts.import_register",
            "accounts.export_register",
            "accounts.renew_certificate",
            "accounts.revoke_certificate",
            "accounts.view_registerimport",
        }
        | {f"accounts.{a}_disqualification" for a in ("add", "change", "view")}
        | {
            f"taxonomy.{action}_{model}"
            for model in _TAXONOMY_MODELS
            for action in ("add", "change", "delete", "view")
        }
        | {
            f"wagtailcore.{a}_{m}"
            for a in ("add", "change", "delete")
            for m in ("workflow", "task")
        }
        | {f"wagtailcore.{a}_collection" for a in ("add", "change", "delete")}
        | {f"wagtailredirects.{a}_redirect" for a in ("add", "change", "delete")}
        | {
            f"directory.{a}_partner"
            for a in ("add", "change", "delete", "publish", "lock", "unlock")
        }
        | {"directory.view_coordinatorprofile", "directory.view_consent"}
    ),
}

# Page permissions granted on the root page, per group.
ROLE_PAGE_PERMISSIONS: dict[str, frozenset[str]] = {
    COORDINATOR: frozenset(),
    AGENCY_EDITOR: frozenset({"add_page", "change_page"}),
    MODERATOR: frozenset(),
    ADMINISTRATOR: frozenset(
        {"add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"}
    ),
}

# Image and document permissions on the root collection, per group.
ROLE_COLLECTION_PERMISSIONS: dict[str, frozenset[str]] = {
    COORDINATOR: frozenset(),
    AGENCY_EDITOR: frozenset(
        {
            "wagtailimages.add_image",
            "wagtailimages.change_image",
            "wagtailimages.choose_image",
            "wagtaildocs.add_document",
            "wagtaildocs.change_document",
            "wagtaildocs.choose_document",
        }
    ),
    MODERATOR: frozenset(),
    ADMINISTRATOR: frozenset(
        {
            f"{app}.{action}_{model}"
            for app, model in (("wagtailimages", "image"), ("wagtaildocs", "document"))
            for action in ("add", "change", "delete", "choose")
        }
    ),
}

# The approval workflow that every page goes through; its single task is given to this group.
APPROVAL_WORKFLOW_NAME = "Agency approval"
APPROVAL_TASK_NAME = "Approval by an administrator"
APPROVER_GROUP = ADMINISTRATOR
