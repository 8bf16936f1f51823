"""Roles and what each may do. One table, read by every permission check in the project."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    PROGRAM_MANAGER = "program_manager", _("Program manager")
    OUTREACH_WORKER = "outreach_worker", _("Outreach worker (ambassador)")
    CASE_MANAGER = "case_manager", _("Case manager")
    ANALYST = "analyst", _("Analyst")


class Capability(models.TextChoices):
    VIEW_RESIDENTS = "view_residents", _("See residents' names and contact details")
    EDIT_RESIDENTS = "edit_residents", _("Register and edit residents")
    MERGE_RESIDENTS = "merge_residents", _("Merge duplicate resident records (and undo a merge)")
    LOG_CONVERSATIONS = "log_conversations", _("Log conversations")
    VIEW_CONVERSATIONS = "view_conversations", _("Read conversation notes")
    REFER = "refer", _("Refer residents to programs")
    MANAGE_REFERRALS = "manage_referrals", _("Update referral status")
    MANAGE_CAMPAIGNS = "manage_campaigns", _("Create and edit campaigns")
    MANAGE_PROGRAMS = "manage_programs", _("Edit the program directory and eligibility rules")
    SCREEN = "screen", _("Screen residents for programs")
    MANAGE_CASES = "manage_cases", _("Open and work cases")
    VIEW_OUTCOMES = "view_outcomes", _("See referral and program outcomes")
    HANDLE_PRIVACY_REQUESTS = "handle_privacy_requests", _("Export or erase a resident's record on request")
    IMPORT_DATA = "import_data", _("Import addresses and residents")
    EXPORT_PERSONAL_DATA = "export_personal_data", _("Export residents' personal data in bulk (audited)")
    VIEW_DASHBOARD = "view_dashboard", _("See the dashboard")
    VIEW_AUDIT_LOG = "view_audit_log", _("Read the audit log")
    MANAGE_USERS = "manage_users", _("Manage users and teams")


C = Capability
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ADMINISTRATOR: frozenset(C.values),
    Role.PROGRAM_MANAGER: frozenset(
        {
            C.VIEW_RESIDENTS, C.EDIT_RESIDENTS, C.LOG_CONVERSATIONS, C.VIEW_CONVERSATIONS, C.REFER,
            C.MANAGE_REFERRALS, C.MANAGE_CAMPAIGNS, C.MANAGE_PROGRAMS, C.IMPORT_DATA, C.VIEW_DASHBOARD,
            C.SCREEN, C.VIEW_OUTCOMES, C.EXPORT_PERSONAL_DATA, C.MERGE_RESIDENTS,
        }
    ),
    Role.OUTREACH_WORKER: frozenset(
        {C.VIEW_RESIDENTS, C.EDIT_RESIDENTS, C.LOG_CONVERSATIONS, C.VIEW_CONVERSATIONS, C.REFER, C.SCREEN}
    ),
    Role.CASE_MANAGER: frozenset(
        {
            C.VIEW_RESIDENTS, C.EDIT_RESIDENTS, C.VIEW_CONVERSATIONS, C.REFER, C.MANAGE_REFERRALS, C.SCREEN,
            C.MANAGE_CASES, C.MERGE_RESIDENTS,
        }
    ),
    # Analysts work with aggregates and notes, never with who said what.
    Role.ANALYST: frozenset({C.VIEW_DASHBOARD, C.VIEW_CONVERSATIONS, C.VIEW_OUTCOMES}),
}

# Whoever can see who a resident is, or what they said, signs in with a second factor (docs/security.md).
SECOND_FACTOR_CAPABILITIES: frozenset[str] = frozenset({C.VIEW_RESIDENTS, C.VIEW_CONVERSATIONS})
