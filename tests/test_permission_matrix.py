"""The permission matrix, generated from the URL resolver: every URL name × every persona.

Each view declares who may open it: `capability_required` / `any_capability_required` (staff with those
capabilities), `public_view` (everyone), or, for API views, `permission_classes` built with `HasCapability`.
From that declaration and the role table the test derives the expected answer to a GET:

- anonymous: a public view answers; a staff page redirects to sign-in; an API view answers 401;
- a signed-in user without the capability: 403;
- a signed-in user with it: the page (200), unless the object is outside that user's scope (404, listed below
  with the reason) or the URL only takes POST (405, listed below).

A URL whose view declares nothing, or that takes an object no one told this test how to build, fails the test:
a new view cannot ship without a decision about who sees it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.views import APIView

from porchlight.accounts.roles import ROLE_CAPABILITIES, Role

PERSONAS = [
    "anonymous",
    *[role.value for role in Role],
    "partner",  # a case manager of the partner organization that runs the referral's program
    "other_partner",  # a case manager of another partner organization
]

# Django's and DRF's own views, which carry no declaration of ours.
FRAMEWORK_VIEWS = {
    "set_language": "public",  # the language switch
    "login": "public",
    "logout": "public",
    "api:api-root": "signed_in",  # DRF's browsable index: any signed-in user (the default permission)
}

# (url name, persona) → the status the persona gets although it holds the capability, with the reason.
OUT_OF_SCOPE = {
    # Partners open only residents their organization talked to, and conversations of their own team.
    **{(name, persona): 404 for persona in ("partner", "other_partner") for name in (
        "people:resident_detail", "people:resident_edit", "outreach:conversation_detail",
        "api:resident-detail", "api:conversation-detail",
    )},
    # Partners never review or merge duplicates: the pairs and merges do not exist for them.
    **{(name, persona): 404 for persona in ("partner", "other_partner") for name in (
        "people:match_detail", "people:match_decide", "people:merge_undo",
    )},
    # Another organization's referral does not exist for a partner.
    ("cases:referral_detail", "other_partner"): 404,
    ("cases:referral_status", "other_partner"): 404,
    # Cases, their tasks and documents belong to the owner's team.
    **{(name, persona): 404 for persona in ("partner", "other_partner") for name in (
        "casework:case_detail", "casework:case_status", "casework:case_reassign", "casework:note_add",
        "casework:document_add", "casework:task_add", "casework:referral_link", "casework:task_done",
        "casework:task_reopen", "casework:document_received",
    )},
    # A case's tasks are worked by the case's team: others with the queue's capabilities don't see them.
    **{(f"casework:{name}", persona): 404 for persona in ("program_manager", "outreach_worker")
       for name in ("task_done", "task_reopen")},
    # A turf's offline bundle (its residents) is downloaded by the worker it is assigned to, no one else.
    ("api:turf_bundle", "administrator"): 404,
    ("api:turf_bundle", "program_manager"): 404,
    **{
        (f"{ns}:{name}", persona): 404
        for ns in ("services", "directory")
        for persona, names in {
            # A screening is read by the screener, their team's case managers and administrators.
            "program_manager": ("screening_detail",),
            "partner": ("screening_detail", "screening_new", "screening_history"),
            "other_partner": ("screening_detail", "screening_new", "screening_history"),
        }.items()
        for name in names
    },
    # A partner opens no case for a resident their organization never talked to.
    ("casework:case_new", "partner"): 404,
    ("casework:case_new", "other_partner"): 404,
    # Partners receive referrals; they do not make them (the programs they run are where referrals go).
    **{(name, persona): 403 for persona in ("partner", "other_partner")
       for name in ("cases:referral_new", "cases:referral_new_for_resident")},
}

# URLs that only take POST (actions): the test POSTs an empty form to them. Allowed users get an answer
# (the form again, a 400, or a redirect back); nobody else gets past the guard.
POST_ONLY = {
    "set_language", "logout", "api:sync", "places:import_upload", "outreach:targetlist_cut",
    "outreach:turfs_auto_assign", "outreach:turf_assign", "outreach:attempt_new", "cases:referral_status",
    "casework:task_done", "casework:task_reopen", "casework:document_received", "casework:case_status",
    "casework:case_reassign", "casework:note_add", "casework:document_add", "casework:task_add",
    "casework:referral_link", "services:program_rule_delete", "services:ami_year_new",
    "directory:program_rule_delete", "directory:ami_year_new", "insights:codebook_seed",
    "insights:theme_set_active", "insights:theme_example_add", "insights:coding_run_start",
    "insights:code_decide", "insights:code_add", "insights:emergent_find", "insights:dialogue_import",
    "insights:dialogue_recompute", "accounts:recovery_codes_renew", "accounts:sign_out_everywhere",
    "people:match_decide", "people:merge_undo",
}

# The API's catch-all: any other path under /api/ is a JSON 404, for everyone.
ALWAYS_NOT_FOUND = {"api:not_found"}

# Signed-in users asking for the sign-in page are sent on to their start page.
SIGNED_IN_REDIRECT = {"login"}

@dataclass(frozen=True)
class Entry:
    name: str
    route: str
    callback: Callable


def url_entries() -> Iterator[Entry]:
    """Every named URL once (DRF's `.json`-style format-suffix twins skipped), the admin site aside."""
    seen: set[str] = set()

    def walk(resolver: URLResolver, prefix: str, namespace: str | None) -> Iterator[Entry]:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                route = prefix + str(pattern.pattern)
                if name in seen or "format" in pattern.pattern.regex.groupindex:
                    continue
                seen.add(name)
                yield Entry(name, route, pattern.callback)

    for entry in walk(get_resolver(), "", None):
        if not entry.name.startswith("admin:"):  # Django's admin guards itself (is_staff); tested below
            yield entry


@dataclass(frozen=True)
class Declaration:
    kind: str  # "public", "signed_in" or "capability"
    capabilities: tuple[str, ...] = ()
    mode: str = "all"
    api: bool = False


def declaration(name: str, callback: Callable) -> Declaration | None:
    """What the view says about who may open it; None when it says nothing."""
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is not None and issubclass(view_class, APIView):
        declared = any("permission_classes" in vars(k) for k in view_class.__mro__ if k is not APIView)
        if name in FRAMEWORK_VIEWS:
            return Declaration(FRAMEWORK_VIEWS[name], api=True)
        if not declared:
            return None
        # A viewset's extra action (@action(permission_classes=...)) declares its own.
        action_permissions = getattr(callback, "initkwargs", {}).get("permission_classes")
        permissions = action_permissions or view_class.permission_classes
        if any(p.__name__ == "AllowAny" for p in permissions):
            return Declaration("public", api=True)
        capabilities = tuple(c for p in permissions for c in getattr(p, "required_capabilities", ()))
        return Declaration("capability" if capabilities else "signed_in", capabilities, api=True)
    if name in FRAMEWORK_VIEWS:
        return Declaration(FRAMEWORK_VIEWS[name])
    if getattr(callback, "is_public", False):
        return Declaration("public")
    if hasattr(callback, "required_capabilities"):
        return Declaration("capability", tuple(callback.required_capabilities),
                           getattr(callback, "capability_mode", "all"))
    return None


def may(persona: str, decl: Declaration) -> bool:
    if decl.kind == "public":
        return True
    if persona == "anonymous":
        return False
    if decl.kind == "signed_in":
        return True
    role = Role.CASE_MANAGER if persona in ("partner", "other_partner") else persona
    held = ROLE_CAPABILITIES[role]
    test = all if decl.mode == "all" else any
    return test(c in held for c in decl.capabilities)


def expected(entry: Entry, decl: Declaration, persona: str) -> str:
    """"login" (302 to sign-in, or 401 from the API), "403", "404" or "ok"."""
    if not may(persona, decl):
        return "login" if persona == "anonymous" else "403"
    if entry.name in ALWAYS_NOT_FOUND:
        return "404"
    if (entry.name, persona) in OUT_OF_SCOPE:
        return str(OUT_OF_SCOPE[(entry.name, persona)])
    if entry.name in SIGNED_IN_REDIRECT and persona != "anonymous":
        return "redirect"
    return "ok"


def outcome(entry: Entry, decl: Declaration, response) -> str:
    status = response.status_code
    if status in (401, 403, 404) and not (status == 401 and not decl.api):
        return "login" if status == 401 else str(status)
    if status == 302:
        return "login" if response["Location"].startswith(reverse("login")) else "redirect"
    if entry.name in POST_ONLY:
        # An action answers with the form again, a 400 for bad input, or a redirect back.
        return "ok" if status in (200, 400) else str(status)
    return "ok" if status == 200 else str(status)


# URL name → its kwargs, from the world. A URL with parameters missing here fails the test.
KWARGS: dict[str, Callable[[dict], dict]] = {
    "password_reset_confirm": lambda w: {"uidb64": "MQ", "token": "set-password"},  # an invalid link
    "api:campaign-detail": lambda w: {"pk": w["campaign"].pk},
    "api:resident-detail": lambda w: {"pk": w["resident"].pk},
    "api:conversation-detail": lambda w: {"pk": w["conversation"].pk},
    "api:turf_bundle": lambda w: {"pk": w["turf"].pk},
    "places:import_upload": lambda w: {"kind": "addresses"},
    "places:import_template": lambda w: {"kind": "addresses"},
    "places:import_detail": lambda w: {"pk": w["import_job"].pk},
    "people:resident_detail": lambda w: {"pk": w["resident"].pk},
    "people:resident_edit": lambda w: {"pk": w["resident"].pk},
    "people:resident_export": lambda w: {"pk": w["resident"].pk},
    "people:resident_erase": lambda w: {"pk": w["resident"].pk},
    "people:match_detail": lambda w: {"pk": w["match_candidate"].pk},
    "people:match_decide": lambda w: {"pk": w["match_candidate"].pk},
    "people:merge_undo": lambda w: {"pk": w["merge"].pk},
    "outreach:conversation_detail": lambda w: {"pk": w["conversation"].pk},
    "outreach:campaign_edit": lambda w: {"pk": w["campaign"].pk},
    "outreach:targetlist_detail": lambda w: {"pk": w["target_list"].pk},
    "outreach:targetlist_cut": lambda w: {"pk": w["target_list"].pk},
    "outreach:targetlist_geojson": lambda w: {"pk": w["target_list"].pk},
    "outreach:turfs_auto_assign": lambda w: {"pk": w["target_list"].pk},
    "outreach:turf_assign": lambda w: {"pk": w["turf"].pk},
    "outreach:walk_list": lambda w: {"pk": w["turf"].pk},
    "outreach:walk_sheet": lambda w: {"pk": w["turf"].pk},
    "outreach:call_screen": lambda w: {"pk": w["call_list"].pk},
    "outreach:call_assign": lambda w: {"pk": w["call_list"].pk},
    "outreach:script_edit": lambda w: {"pk": w["campaign"].pk},
    "cases:referral_new": lambda w: {"need_pk": w["need"].pk},
    "cases:referral_new_for_resident": lambda w: {"resident_pk": w["resident"].pk},
    "cases:referral_detail": lambda w: {"pk": w["referral"].pk},
    "cases:referral_status": lambda w: {"pk": w["referral"].pk},
    "casework:task_done": lambda w: {"pk": w["task"].pk},
    "casework:task_reopen": lambda w: {"pk": w["task"].pk},
    "casework:document_received": lambda w: {"pk": w["document"].pk},
    **{f"casework:{n}": (lambda w: {"pk": w["case"].pk}) for n in (
        "case_detail", "case_status", "case_reassign", "note_add", "document_add", "task_add",
        "referral_link",
    )},
    "insights:codebook": lambda w: {"campaign_pk": w["campaign"].pk},
    "insights:codebook_seed": lambda w: {"campaign_pk": w["campaign"].pk},
    "insights:theme_create": lambda w: {"campaign_pk": w["campaign"].pk},
    **{f"insights:{n}": (lambda w: {"campaign_pk": w["campaign"].pk, "theme_pk": w["theme"].pk}) for n in (
        "theme_edit", "theme_set_active", "theme_example_add",
    )},
    **{f"insights:{n}": (lambda w: {"campaign_pk": w["campaign"].pk}) for n in (
        "coding_run_start", "coding_progress", "notes_review", "emergent", "emergent_find", "report",
        "report_public",
    )},
    "insights:code_decide": lambda w: {"campaign_pk": w["campaign"].pk, "code_pk": w["code"].pk},
    "insights:code_add": lambda w: {"campaign_pk": w["campaign"].pk, "item_pk": w["item"].pk},
    "insights:emergent_promote": lambda w: {"campaign_pk": w["campaign"].pk, "emergent_pk": w["emergent"].pk},
    "insights:dialogue_detail": lambda w: {"pk": w["statement_set"].pk},
    "insights:dialogue_recompute": lambda w: {"pk": w["statement_set"].pk},
}
# The program directory's URLs, under its namespace (`services` today, `directory` after the rename).
for _ns in ("services", "directory"):
    KWARGS.update({
        f"{_ns}:screening_new": lambda w: {"resident_pk": w["resident"].pk},
        f"{_ns}:screening_history": lambda w: {"resident_pk": w["resident"].pk},
        f"{_ns}:screening_detail": lambda w: {"pk": w["screening"].pk},
        f"{_ns}:program_rules": lambda w: {"program_pk": w["program"].pk},
        f"{_ns}:program_rules_try": lambda w: {"program_pk": w["program"].pk},
        f"{_ns}:program_rule_edit": lambda w: {"program_pk": w["program"].pk, "pk": w["rule"].pk},
        f"{_ns}:program_rule_delete": lambda w: {"program_pk": w["program"].pk, "pk": w["rule"].pk},
        f"{_ns}:program_detail": lambda w: {"pk": w["program"].pk},
        f"{_ns}:program_edit": lambda w: {"pk": w["program"].pk},
        f"{_ns}:organization_edit": lambda w: {"pk": w["organization"].pk},
        f"{_ns}:location_new": lambda w: {"organization_pk": w["organization"].pk},
        f"{_ns}:location_edit": lambda w: {"organization_pk": w["organization"].pk, "pk": w["location"].pk},
    })


# URL name → the query string a page needs (a case is opened for a resident).
QUERY: dict[str, Callable[[dict], str]] = {
    "casework:case_new": lambda w: f"?resident={w['resident'].pk}",
}


# URL name → the form an action needs to reach the object it acts on.
POST_DATA: dict[str, Callable[[dict], dict]] = {
    "insights:theme_example_add": lambda w: {"item": w["item"].pk},
}


def url_for(entry: Entry, world: dict) -> str:
    kwargs = KWARGS[entry.name](world) if entry.name in KWARGS else None
    query = QUERY[entry.name](world) if entry.name in QUERY else ""
    return reverse(entry.name, kwargs=kwargs) + query


def test_it_finds_every_view_declares_who_may_open_it():
    undeclared = [f"{e.name} ({e.route})" for e in url_entries() if declaration(e.name, e.callback) is None]
    assert not undeclared, "views with no declared capability (use capability_required or public_view):\n" + (
        "\n".join(undeclared)
    )


def test_it_refuses_a_view_that_declares_nothing():
    def bare_view(request):  # what a forgotten decorator looks like
        return None

    assert declaration("x:bare", bare_view) is None


def test_it_knows_how_to_build_every_url(world):
    missing = []
    for entry in url_entries():
        try:
            url_for(entry, world)
        except Exception as error:  # noqa: BLE001 - a URL the matrix cannot reach is the finding
            missing.append(f"{entry.name} ({entry.route}): {error.__class__.__name__}")
    assert not missing, "add these URLs' objects to KWARGS:\n" + "\n".join(missing)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_gives_each_persona_exactly_what_its_role_allows(client, world, persona):
    if persona != "anonymous":
        client.force_login(world["personas"][persona])
    wrong = []
    # Signing out goes last, so that the persona stays signed in for every other URL.
    for entry in sorted(url_entries(), key=lambda e: e.name == "logout"):
        decl = declaration(entry.name, entry.callback)
        if decl is None:
            continue  # reported by the test above
        want = expected(entry, decl, persona)
        if entry.name in ("logout", "accounts:sign_out_everywhere") and want in ("ok", "login"):
            want = {"login"}  # signing out ends on the sign-in page
        elif entry.name in POST_ONLY and want == "ok":
            want = {"ok", "redirect"}  # an action done (or refused as invalid) sends the user back
        else:
            want = {want}
        url = url_for(entry, world)
        with transaction.atomic():  # each request sees the same world: an action's changes are undone
            if entry.name in POST_ONLY:
                response = client.post(url, POST_DATA[entry.name](world) if entry.name in POST_DATA else {})
            else:
                response = client.get(url)
            got = outcome(entry, decl, response)
            transaction.set_rollback(True)
        if got not in want:
            wrong.append(f"{entry.name} {url}: expected {'/'.join(sorted(want))}, got {got} "
                         f"({response.status_code})")
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)


def test_it_lets_only_administrators_into_the_admin_site(client, world):
    for persona in PERSONAS[1:]:
        client.force_login(world["personas"][persona])
        got = client.get(reverse("admin:index")).status_code
        assert got == (200 if persona == "administrator" else 302), persona
