"""The Community Letter campaign of 2017 (Take10CLT): conversations, the needs they found and referrals."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from porchlight.cases.models import Referral, ReferralStatusChange
from porchlight.demo import grammar
from porchlight.demo.context import BuildContext, timestamps_as_given
from porchlight.outreach.models import Campaign, Channel, Conversation, Need, NeedCategory, Topic
from porchlight.people.models import Language

TZ = ZoneInfo("America/New_York")
# (grammar key, name, Spanish name, description, weight in conversations)
TOPICS = [
    (
        grammar.SAFETY,
        "Community safety",
        "Seguridad en la comunidad",
        "Feeling safe at home, on the street and with the police.",
        22,
    ),
    (grammar.TRUST, "Trust", "Confianza", "Trust between residents, the police and the city.", 14),
    (
        grammar.ACCOUNTABILITY,
        "Accountability",
        "Rendición de cuentas",
        "Who answers for what the city promised, and how residents can tell.",
        12,
    ),
    (
        grammar.HOUSING,
        "Affordable housing",
        "Vivienda asequible",
        "Rents, repairs, displacement and owning a home.",
        30,
    ),
    (
        grammar.JOBS,
        "Good-paying jobs",
        "Empleos bien pagados",
        "Wages, training, transportation to work and small business.",
        22,
    ),
]
MONTH_WEIGHTS = [4, 5, 8, 10, 12, 12, 11, 10, 9, 8, 6, 5]  # more in spring and summer
CHANNELS = ([Channel.DOOR, Channel.PHONE, Channel.STREET, Channel.EVENT], [45, 25, 20, 10])
NEED_FOR_TOPIC = {
    grammar.HOUSING: ([NeedCategory.HOUSING, NeedCategory.LEGAL, NeedCategory.UTILITIES], [45, 30, 25]),
    grammar.JOBS: ([NeedCategory.EMPLOYMENT, NeedCategory.HEALTH], [80, 20]),
    grammar.SAFETY: ([NeedCategory.SAFETY, NeedCategory.OTHER, NeedCategory.FOOD], [60, 20, 20]),
    grammar.TRUST: ([NeedCategory.LEGAL, NeedCategory.HEALTH, NeedCategory.FOOD], [30, 30, 40]),
    grammar.ACCOUNTABILITY: ([NeedCategory.UTILITIES, NeedCategory.OTHER, NeedCategory.FOOD], [40, 30, 30]),
}
NEED_SHARE = 0.25
REFERRAL_SHARE_OF_KNOWN = 0.86  # about 70% of needs have a known resident: ~60% of all needs are referred
STATUS_MIX = (
    [
        Referral.Status.RESOLVED,
        Referral.Status.IN_PROGRESS,
        Referral.Status.ACCEPTED,
        Referral.Status.SENT,
        Referral.Status.DECLINED,
        Referral.Status.UNRESOLVED,
    ],
    [46, 14, 6, 9, 5, 20],
)
# How closed referrals ended, weighted like a real program's mix.
OUTCOME_MIX = (list(Referral.Outcome), [50, 35, 15])
DECLINE_MIX = (list(Referral.DeclineReason), [35, 30, 15, 15, 5])
CLOSE_MIX = (list(Referral.CloseReason), [40, 15, 10, 25, 10])
STATUS_NOTES = {
    Referral.Status.SENT: ["Created"],
    Referral.Status.ACCEPTED: ["Accepted: intake will call the resident.", "Accepted."],
    Referral.Status.DECLINED: ["We cannot take this one.", "Outside what we do; please refer elsewhere."],
    Referral.Status.IN_PROGRESS: [
        "Called the resident, appointment set.",
        "Intake done, documents requested.",
        "Left a voicemail; resident called back.",
        "Application submitted.",
    ],
    Referral.Status.RESOLVED: [
        "Assistance approved and paid.",
        "Resident enrolled.",
        "Case closed: goal met.",
        "Hearing went well; resident stays in the home.",
        "Started the job.",
    ],
    Referral.Status.UNRESOLVED: [
        "Could not reach the resident after three tries.",
        "Not eligible.",
        "Resident moved out of the county.",
        "Resident declined the service.",
    ],
}


def build_campaigns(ctx: BuildContext) -> tuple[list[Campaign], dict[str, Topic]]:
    topics = Topic.objects.bulk_create(
        [Topic(name=name, name_es=name_es, description=desc) for _, name, name_es, desc, _ in TOPICS]
    )
    by_key = {t[0]: topic for t, topic in zip(TOPICS, topics, strict=True)}
    letter = Campaign.objects.create(
        name="Community Letter / Take10CLT",
        description=(
            "After September 2016, the city asked residents to take ten minutes to talk about "
            "community safety, trust, accountability, affordable housing and good-paying jobs."
        ),
        start_date=dt.date(2017, 1, 1),
        end_date=dt.date(2017, 12, 31),
        languages=["en", "es"],
        conversation_target=8000,
    )
    letter.topics.set(topics)
    dialogues = Campaign.objects.create(
        name="Can We Talk? dialogues 2018",
        description=(
            "Small-group dialogues between residents and officers at libraries and recreation centers."
        ),
        start_date=dt.date(2018, 2, 1),
        end_date=dt.date(2018, 6, 30),
        languages=["en", "es"],
        conversation_target=500,
    )
    dialogues.topics.set([by_key[grammar.SAFETY], by_key[grammar.TRUST], by_key[grammar.ACCOUNTABILITY]])
    # A campaign running today, so that a visitor can log a conversation and the dashboard opens on fresh
    # numbers. Its dates follow the day the demo is built (the rest of the city depends on the seed only).
    today = ctx.today
    check_ins = Campaign.objects.create(
        name="Neighborhood check-ins",
        description="Ambassadors go back to the neighborhoods to report on the Community Letter and listen.",
        start_date=today - dt.timedelta(days=120),
        end_date=today + dt.timedelta(days=245),
        languages=["en", "es"],
        conversation_target=2000,
    )
    check_ins.topics.set(topics)
    return [letter, dialogues, check_ins], by_key


def _held_at(ctx: BuildContext, campaign: Campaign, channel: str) -> dt.datetime:
    rng = ctx.rng
    if campaign.end_date >= ctx.today:  # the running campaign: the last 90 days
        day = ctx.today - dt.timedelta(days=rng.randint(1, 90))
    elif campaign.start_date.year == 2017:
        month = rng.choices(range(1, 13), MONTH_WEIGHTS)[0]
        day = dt.date(2017, month, 1) + dt.timedelta(days=rng.randrange(28 if month == 2 else 30))
    else:
        span = (campaign.end_date - campaign.start_date).days
        day = campaign.start_date + dt.timedelta(days=rng.randrange(span))
    if channel == Channel.EVENT:
        start = rng.choice([10, 11, 13, 14]) if day.weekday() >= 5 else rng.choice([17, 18, 18, 19])
    elif channel == Channel.PHONE:
        start = rng.randint(8, 17)
    else:
        start = rng.randint(10, 19)
    return dt.datetime(day.year, day.month, day.day, start, rng.randrange(60), rng.randrange(60), tzinfo=TZ)


def build_conversations(ctx: BuildContext, campaigns: list[Campaign], topics: dict[str, Topic]) -> None:
    letter, dialogues, check_ins = campaigns
    rng = ctx.rng
    words = grammar.Grammar(rng=rng, venues=ctx.venues, streets=ctx.streets)
    workers = [u for u in ctx.users if u.role == "outreach_worker"]
    activity = [6.0 if u.username == "ambassador" else rng.uniform(0.3, 2.0) for u in workers]
    spanish_workers = [u for u in workers if "es" in u.languages]
    spanish_activity = [activity[workers.index(u)] for u in spanish_workers]
    reachable = [r for r in ctx.residents if not r.do_not_contact and not r.address.do_not_contact]
    anonymous_doors = [a for a in ctx.address_rows if not a.do_not_contact]
    topic_keys = [t[0] for t in TOPICS]
    topic_weights = [t[4] for t in TOPICS]
    dialogue_keys = [grammar.SAFETY, grammar.TRUST, grammar.ACCOUNTABILITY]

    conversations: list[Conversation] = []
    conversation_topics: list[tuple[Conversation, list[str]]] = []
    total_dialogues = max(1, ctx.n_conversations // 20)
    total_check_ins = max(1, ctx.n_conversations // 20)
    for n in range(ctx.n_conversations + total_dialogues + total_check_ins):
        if n < ctx.n_conversations:
            campaign = letter
        elif n < ctx.n_conversations + total_dialogues:
            campaign = dialogues
        else:
            campaign = check_ins
        if campaign is not dialogues:
            channel = rng.choices(*CHANNELS)[0]
            keys = _pick_topics(ctx, topic_keys, topic_weights)
        else:
            channel = Channel.EVENT if rng.random() < 0.75 else Channel.STREET
            keys = rng.sample(dialogue_keys, k=rng.choice([1, 1, 2]))
        resident = rng.choice(reachable) if reachable and rng.random() < 0.7 else None
        address = None
        if resident is not None:
            lang = resident.preferred_language
            if lang == Language.SPANISH and rng.random() < 0.1:
                lang = Language.ENGLISH
            if channel in (Channel.DOOR, Channel.PHONE):
                address = resident.address
            area_id = ctx.address_npa[resident.address_id]
        else:
            lang = Language.SPANISH if rng.random() < 0.15 else Language.ENGLISH
            if channel == Channel.DOOR:
                address = rng.choice(anonymous_doors)
                area_id = ctx.address_npa[address.pk]
            else:
                area_id = rng.choices(ctx.npa_ids, ctx.npa_weights)[0]
        if lang == Language.SPANISH and spanish_workers:
            holder = rng.choices(spanish_workers, spanish_activity)[0]
        else:
            holder = rng.choices(workers, activity)[0]
        street = ctx.address_street.get(address.pk if address else (resident.address_id if resident else 0))
        held_at = _held_at(ctx, campaign, channel)
        conversation = Conversation(
            client_id=ctx.uuid4(),
            campaign=campaign,
            channel=channel,
            held_by=holder,
            team_id=holder.team_id,
            held_at=held_at,
            resident=resident,
            address=address,
            area_id=area_id,
            language=lang,
            duration_minutes=round(rng.triangular(5, 20, 10)),
            notes=words.notes(topics=keys, lang=lang, channel=channel, street=street),
            what_matters_most=(
                words.what_matters_most(topics=keys, lang=lang, street=street) if rng.random() < 0.85 else ""
            ),
            ideas=words.idea(topics=keys, lang=lang, street=street) if rng.random() < 0.55 else "",
            wants_follow_up=rng.random() < 0.2,
            created_at=held_at + dt.timedelta(minutes=rng.randint(15, 600)),
        )
        conversations.append(conversation)
        conversation_topics.append((conversation, keys))
    with timestamps_as_given(Conversation, "created_at"):
        Conversation.objects.bulk_create(conversations, batch_size=1000)
    through = Conversation.topics.through
    through.objects.bulk_create(
        [
            through(conversation_id=c.pk, topic_id=topics[k].pk)
            for c, keys in conversation_topics
            for k in keys
        ],
        batch_size=2000,
    )
    ctx.progress(
        f"{len(conversations)} conversations ({ctx.n_conversations} in {letter}, "
        f"{total_dialogues} in {dialogues}, {total_check_ins} in {check_ins})"
    )
    build_needs(ctx, words, conversation_topics)


def _pick_topics(ctx: BuildContext, keys: list[str], weights: list[int]) -> list[str]:
    k = ctx.rng.choices([1, 2, 3], [50, 35, 15])[0]
    chosen: list[str] = []
    while len(chosen) < k:
        key = ctx.rng.choices(keys, weights)[0]
        if key not in chosen:
            chosen.append(key)
    return chosen


def build_needs(
    ctx: BuildContext, words: grammar.Grammar, conversation_topics: list[tuple[Conversation, list[str]]]
) -> None:
    rng = ctx.rng
    programs_by_category = defaultdict(list)
    for program in ctx.programs:
        programs_by_category[program.category].append(program)
    case_managers = defaultdict(list)
    for user in ctx.users:
        if user.role == "case_manager":
            case_managers[user.team_id].append(user)
    city_case_managers = case_managers[ctx.teams["Housing & Neighborhood Services"].pk]

    needs: list[Need] = []
    for conversation, keys in conversation_topics:
        if rng.random() >= NEED_SHARE:
            continue
        categories = []
        for _ in range(1 if rng.random() < 0.8 else 2):
            category = rng.choices(*NEED_FOR_TOPIC[rng.choice(keys)])[0]
            if category not in categories:
                categories.append(category)
        for category in categories:
            needs.append(
                Need(
                    resident=conversation.resident,
                    conversation=conversation,
                    category=category,
                    description=words.need_detail(category=category, lang=conversation.language),
                    created_at=conversation.held_at,
                )
            )
    with timestamps_as_given(Need, "created_at"):
        Need.objects.bulk_create(needs, batch_size=1000)

    referrals: list[Referral] = []
    history: list[ReferralStatusChange] = []
    now = dt.datetime.now(tz=TZ)
    for need in needs:
        conversation = need.conversation
        if need.resident is None or rng.random() >= REFERRAL_SHARE_OF_KNOWN:
            continue
        if not programs_by_category[need.category]:
            continue
        program = rng.choice(programs_by_category[need.category])
        owner = rng.choice(case_managers.get(program.organization.team_id) or city_case_managers)
        status = rng.choices(*STATUS_MIX)[0]
        created = conversation.held_at + dt.timedelta(hours=rng.randint(1, 48))
        steps = [(Referral.Status.SENT, created, conversation.held_by, "Created")]
        when = created
        if status == Referral.Status.DECLINED:
            when = when + dt.timedelta(days=rng.randint(0, 4), hours=rng.randint(1, 8))
            steps.append((status, when, owner, rng.choice(STATUS_NOTES[status])))
        elif status != Referral.Status.SENT:
            when = when + dt.timedelta(days=rng.randint(0, 4), hours=rng.randint(1, 8))
            steps.append(
                (Referral.Status.ACCEPTED, when, owner, rng.choice(STATUS_NOTES[Referral.Status.ACCEPTED]))
            )
            if status not in (Referral.Status.ACCEPTED, Referral.Status.UNRESOLVED) or rng.random() < 0.6:
                when = when + dt.timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 8))
                steps.append(
                    (
                        Referral.Status.IN_PROGRESS,
                        when,
                        owner,
                        rng.choice(STATUS_NOTES[Referral.Status.IN_PROGRESS]),
                    )
                )
            if status in (Referral.Status.RESOLVED, Referral.Status.UNRESOLVED):
                when = when + dt.timedelta(days=rng.randint(5, 60), hours=rng.randint(0, 8))
                steps.append((status, when, owner, rng.choice(STATUS_NOTES[status])))
        # Recent referrals (the running campaign) cannot have moved on in the future: keep the steps so far.
        steps = [step for step in steps if step[1] <= now] or steps[:1]
        status, when = steps[-1][0], max(steps[-1][1], created)
        closed = status in (Referral.Status.RESOLVED, Referral.Status.UNRESOLVED, Referral.Status.DECLINED)
        reasons = {
            "outcome": rng.choices(*OUTCOME_MIX)[0] if status == Referral.Status.RESOLVED else "",
            "decline_reason": rng.choices(*DECLINE_MIX)[0] if status == Referral.Status.DECLINED else "",
            "close_reason": rng.choices(*CLOSE_MIX)[0] if status == Referral.Status.UNRESOLVED else "",
        }
        accepted = next((at for s, at, _by, _note in steps if s == Referral.Status.ACCEPTED), None)
        referral = Referral(
            **reasons,
            accepted_at=accepted,
            need=need,
            resident=need.resident,
            program=program,
            status=status,
            owner=owner,
            created_by=conversation.held_by,
            consent_given=True,
            note=f"Referred after a {conversation.get_channel_display().lower()} conversation.",
            created_at=created,
            sent_at=created,
            updated_at=min(when, now),
            closed_at=when if closed else None,
        )
        referrals.append(referral)
        conversation.wants_follow_up = True
        reason = reasons["outcome"] or reasons["decline_reason"] or reasons["close_reason"]
        history.extend(
            ReferralStatusChange(
                referral=referral,
                status=s,
                changed_by=by,
                changed_at=at,
                note=note,
                reason=reason if s == status and closed else "",
            )
            for s, at, by, note in steps
        )
    with timestamps_as_given(Referral, "created_at", "updated_at"):
        Referral.objects.bulk_create(referrals, batch_size=1000)
    for change in history:
        change.referral_id = change.referral.pk
    with timestamps_as_given(ReferralStatusChange, "changed_at"):
        ReferralStatusChange.objects.bulk_create(history, batch_size=2000)
    followed = [r.need.conversation for r in referrals]
    Conversation.objects.filter(pk__in=[c.pk for c in followed]).update(wants_follow_up=True)
    ctx.progress(f"{len(needs)} needs, {len(referrals)} referrals, {len(history)} referral status changes")
