"""Cutting a door list into turfs, walking routes through them, and handing them to workers.

The algorithm (`turfs_plan`) is plain numpy so that it can be benchmarked and tested without the database:
recursive balanced bisection. Each building is one weighted point (its door count). A node that must become
k turfs is split along the longer side of its bounding box (in metres) at the weighted median that gives the
two halves door counts proportional to k//2 and k - k//2 turfs. That is O(n log n) per level, log2(k) levels,
compact (pieces are cut across their long side) and balanced by construction. Each turf is then ordered into
a walking route: nearest neighbour, then 2-opt, over buildings; the units of a building are consecutive.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from porchlight.accounts.models import Team, User
from porchlight.accounts.roles import Capability
from porchlight.outreach.models import Target, TargetList, Turf
from porchlight.people.models import Resident

EARTH_RADIUS_M = 6_371_000.0
MIN_TURF_SIZE = 5
MAX_TURF_SIZE = 500
# Outlines are the doors' convex hull grown by this much, so that a one-street turf still has an area.
OUTLINE_BUFFER_M = 25.0
# How many points past a cut the bisection may borrow to balance a cut that a big building straddles.
LOOKAHEAD = 32


# ---------------------------------------------------------------------------------------------------------
# The algorithm (no database)
# ---------------------------------------------------------------------------------------------------------


@dataclass
class TurfPlan:
    """Where each door goes: `labels[i]` is door i's turf (0..n_turfs-1, or -1 without a location) and
    `order[i]` its position in that turf's walking route."""

    labels: np.ndarray
    order: np.ndarray
    n_turfs: int


def project(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Equirectangular projection to metres around the points' centre: accurate to well under 1% over a
    city (tens of km), which is all that cutting and routing need."""
    lon0 = float(np.nanmean(lon)) if len(lon) else 0.0
    lat0 = float(np.nanmean(lat)) if len(lat) else 0.0
    k = math.pi / 180 * EARTH_RADIUS_M
    return (lon - lon0) * k * math.cos(math.radians(lat0)), (lat - lat0) * k, lon0, lat0


def unproject(x: np.ndarray, y: np.ndarray, lon0: float, lat0: float) -> tuple[np.ndarray, np.ndarray]:
    k = math.pi / 180 * EARTH_RADIUS_M
    return x / (k * math.cos(math.radians(lat0))) + lon0, y / k + lat0


def _bisect(gx: np.ndarray, gy: np.ndarray, gw: np.ndarray, n_turfs: int) -> np.ndarray:
    """Turf label per weighted point. Iterative (a stack) so that deep recursions cannot overflow."""
    labels = np.empty(len(gx), dtype=np.int64)
    stack: list[tuple[np.ndarray, int, int]] = [(np.arange(len(gx)), n_turfs, 0)]
    while stack:
        idx, k, first = stack.pop()
        if k == 1 or len(idx) <= 1:
            labels[idx] = first
            continue
        x, y = gx[idx], gy[idx]
        coord = x if (x.max() - x.min()) >= (y.max() - y.min()) else y
        ordered = idx[np.argsort(coord, kind="stable")]
        cum = np.cumsum(gw[ordered])
        k_left = k // 2
        goal = cum[-1] * k_left / k
        # The left half takes every point whose running total stays within the goal ...
        cut = max(0, min(int(np.searchsorted(cum, goal, side="right")) - 1, len(ordered) - 2))
        left, right = ordered[: cut + 1], ordered[cut + 1 :]
        deficit = goal - cum[cut]
        if deficit > 0.5:
            # ... then, when a big building straddles the cut, the next few smaller points that bring it
            # nearer the goal (a short look-ahead along the axis keeps the halves compact).
            take: list[int] = []
            for j, point in enumerate(right[:LOOKAHEAD].tolist()):
                if len(take) == len(right) - 1 or deficit <= 0.5:
                    break
                if gw[point] < 2 * deficit:
                    take.append(j)
                    deficit -= gw[point]
            over = cum[cut + 1] - goal if cut + 2 < len(ordered) else np.inf
            if over < deficit:
                # Taking the straddling building whole is nearer the goal than filling around it.
                left, right, take = ordered[: cut + 2], ordered[cut + 2 :], []
            elif take:
                moved = np.zeros(len(right), dtype=bool)
                moved[take] = True
                left, right = np.concatenate([left, right[moved]]), right[~moved]
        stack.append((left, k_left, first))
        stack.append((right, k - k_left, first + k_left))
    return labels


def _route(px: np.ndarray, py: np.ndarray) -> np.ndarray:
    """A short open walking path through the points: nearest neighbour from the westmost point, then
    best-improvement 2-opt. A dummy node at distance 0 from all others turns the open path into a cycle."""
    m = len(px)
    if m <= 2:
        return np.arange(m)
    d = np.zeros((m + 1, m + 1))
    d[:m, :m] = np.hypot(px[:, None] - px[None, :], py[:, None] - py[None, :])
    start = int(np.argmin(px))
    tour = [m, start]
    seen = np.zeros(m + 1, dtype=bool)
    seen[m] = seen[start] = True
    current = start
    for _step in range(m - 1):
        row = np.where(seen, np.inf, d[current])
        current = int(np.argmin(row))
        seen[current] = True
        tour.append(current)
    t = np.array(tour)
    n = len(t)
    for _iteration in range(50 * n):
        a, b = t, np.roll(t, -1)
        # Replacing edges (a_i, b_i) and (a_j, b_j) by (a_i, a_j) and (b_i, b_j) reverses t[i+1..j].
        delta = d[a[:, None], a[None, :]] + d[b[:, None], b[None, :]] - d[a, b][:, None] - d[a, b][None, :]
        delta = np.triu(delta, 2)
        i, j = np.unravel_index(int(np.argmin(delta)), delta.shape)
        if delta[i, j] > -1e-9:
            break
        t[i + 1 : j + 1] = t[i + 1 : j + 1][::-1]
    pos = int(np.flatnonzero(t == m)[0])
    return np.concatenate([t[pos + 1 :], t[:pos]])


def turfs_plan(
    *,
    lon: np.ndarray,
    lat: np.ndarray,
    groups: np.ndarray,
    size: int,
    route: bool = True,
) -> TurfPlan:
    """Cut doors into turfs of about `size` doors and order each into a walking route.

    `groups[i]` says which building door i is in (same value = same building); the doors of a building are
    kept together in one turf, in the order they are given (sort them by unit first). A building larger
    than `size` is cut into even pieces of at most size/2 consecutive doors, since no one can walk 300 doors
    in one outing. Doors with NaN coordinates get label -1.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    groups = np.asarray(groups)
    n = len(lon)
    labels = np.full(n, -1, dtype=np.int64)
    order = np.zeros(n, dtype=np.int64)
    located = np.flatnonzero(~(np.isnan(lon) | np.isnan(lat)))
    if len(located) == 0:
        return TurfPlan(labels, order, 0)
    x, y, _lon0, _lat0 = project(lon[located], lat[located])
    pieces = _pieces(groups[located], x, y, size)
    n_turfs = min(max(1, round(len(located) / size)), len(pieces.weights))
    piece_label = _bisect(pieces.x, pieces.y, pieces.weights, n_turfs)
    labels[located[pieces.door_idx]] = piece_label[pieces.of_door]
    walk, seq = _walking_order(pieces, piece_label, route=route)
    order[located[pieces.door_idx[walk]]] = seq
    return TurfPlan(labels, order, n_turfs)


@dataclass
class _Pieces:
    """Buildings (or even pieces of big ones) as weighted points: `door_idx` lists the doors grouped by piece,
    `of_door[k]` is the piece of door door_idx[k]; x, y are the pieces' centres and weights their doors."""

    door_idx: np.ndarray
    of_door: np.ndarray
    weights: np.ndarray
    x: np.ndarray
    y: np.ndarray


def _pieces(groups: np.ndarray, x: np.ndarray, y: np.ndarray, size: int) -> _Pieces:
    # Buildings (weighted points): a stable sort keeps each building's doors in their given order.
    by_group = np.argsort(groups, kind="stable")
    g_sorted = groups[by_group]
    starts = np.flatnonzero(np.r_[True, g_sorted[1:] != g_sorted[:-1]])
    counts = np.diff(np.r_[starts, len(by_group)])
    # Pieces of at most `size` doors (most buildings are one piece).
    within = np.arange(len(by_group)) - np.repeat(starts, counts)
    # Buildings over `size` doors become even pieces of at most size/2 (finer pieces balance turfs better):
    # 117 doors at size 50 -> 5 pieces of 24; buildings up to `size` stay whole.
    n_pieces = np.where(counts > size, np.ceil(counts / max(size // 2, 1)), 1)
    piece_len = np.ceil(counts / n_pieces)
    piece_key = np.repeat(np.arange(len(starts)), counts) * (size + 1)
    piece_key += (within // np.repeat(piece_len, counts)).astype(np.int64)
    _keys, piece_of_door = np.unique(piece_key.astype(np.int64), return_inverse=True)
    weights = np.bincount(piece_of_door).astype(float)
    px = np.bincount(piece_of_door, weights=x[by_group]) / weights
    py = np.bincount(piece_of_door, weights=y[by_group]) / weights
    return _Pieces(door_idx=by_group, of_door=piece_of_door, weights=weights, x=px, y=py)


def _walking_order(pieces: _Pieces, piece_label: np.ndarray, *, route: bool) -> tuple[np.ndarray, np.ndarray]:
    """Walking order: pieces by route within each turf, doors of a piece consecutive (in their given order).

    Returns `walk` (positions in pieces.door_idx, in walking order turf by turf) and `seq`, each door's
    number within its turf, aligned with `walk`.
    """
    piece_rank = np.zeros(len(pieces.weights), dtype=np.int64)
    if route:
        by_turf = np.argsort(piece_label, kind="stable")
        bounds = np.flatnonzero(np.r_[True, piece_label[by_turf][1:] != piece_label[by_turf][:-1], True])
        for s, e in zip(bounds[:-1], bounds[1:], strict=True):
            members = by_turf[s:e]
            piece_rank[members[_route(pieces.x[members], pieces.y[members])]] = np.arange(len(members))
    else:
        piece_rank = np.arange(len(pieces.weights))
    # Sort doors by (turf, piece rank, position within the piece) and number them within each turf.
    door_turf = piece_label[pieces.of_door]
    door_rank = piece_rank[pieces.of_door]
    walk = np.lexsort((np.arange(len(pieces.door_idx)), door_rank, door_turf))
    turf_sorted = door_turf[walk]
    turf_start = np.flatnonzero(np.r_[True, turf_sorted[1:] != turf_sorted[:-1]])
    seq = np.arange(len(walk)) - np.repeat(turf_start, np.diff(np.r_[turf_start, len(walk)]))
    return walk, seq


def turf_outline(lon: np.ndarray, lat: np.ndarray) -> dict:
    """The doors' convex hull, buffered a little, as a GeoJSON polygon in WGS84."""
    x, y, lon0, lat0 = project(np.asarray(lon, float), np.asarray(lat, float))
    hull = shapely.MultiPoint(np.column_stack([x, y])).convex_hull.buffer(OUTLINE_BUFFER_M, quad_segs=4)
    hull = shapely.transform(hull, lambda xy: np.column_stack(unproject(xy[:, 0], xy[:, 1], lon0, lat0)))
    rounded = shapely.set_precision(hull, 1e-6)
    return shapely.geometry.mapping(rounded)


# ---------------------------------------------------------------------------------------------------------
# The services (database)
# ---------------------------------------------------------------------------------------------------------


@dataclass
class TurfCutResult:
    turfs: list[Turf]
    unlocated: int  # doors with no coordinates, put in "No location" turfs


def _natural(unit: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", unit or ""))


@transaction.atomic
def turf_cut(*, target_list: TargetList, size: int, actor: User) -> TurfCutResult:
    """Cut a door list into turfs of about `size` doors, replacing any earlier cut (and its assignments).

    Doors without coordinates go, in street order, into separate "No location" turfs with no outline.
    """
    actor.require(Capability.MANAGE_CAMPAIGNS)
    _check_cut(target_list=target_list, size=size)
    rows = _door_rows(target_list)
    if not rows:
        raise ValidationError(_("This list has no doors to cut into turfs."))
    # Lock the list so that two managers cutting at once do not interleave their turfs.
    TargetList.objects.select_for_update().filter(pk=target_list.pk).first()
    lon = np.array([np.nan if r[1] is None else r[1] for r in rows], dtype=float)
    lat = np.array([np.nan if r[2] is None else r[2] for r in rows], dtype=float)
    plan = turfs_plan(lon=lon, lat=lat, groups=_building_groups(rows), size=size)

    Turf.objects.filter(target_list=target_list).delete()
    members: dict[int, list[int]] = defaultdict(list)
    for i, label in enumerate(plan.labels.tolist()):
        members[label].append(i)
    unlocated = members.get(-1, [])
    # Doors without coordinates: rows are in street order already, so chunk them as they come.
    chunks = [unlocated[i : i + size] for i in range(0, len(unlocated), size)]
    created = Turf.objects.bulk_create(_turfs_new(target_list, plan, members, chunks, lon=lon, lat=lat))
    updates: list[tuple[int, int, int]] = []
    for i, (label, seq) in enumerate(zip(plan.labels.tolist(), plan.order.tolist(), strict=True)):
        if label >= 0:
            updates.append((created[label].pk, seq, rows[i][0]))
    for c, chunk in enumerate(chunks):
        turf_pk = created[plan.n_turfs + c].pk
        updates.extend((turf_pk, s, rows[i][0]) for s, i in enumerate(chunk))
    _targets_set_turf(updates)
    return TurfCutResult(turfs=created, unlocated=len(unlocated))


def _check_cut(*, target_list: TargetList, size: int) -> None:
    if target_list.kind != TargetList.Kind.DOOR:
        raise ValidationError(_("Only door lists are cut into turfs; a phone list is called from its queue."))
    if not isinstance(size, int) or isinstance(size, bool) or not MIN_TURF_SIZE <= size <= MAX_TURF_SIZE:
        raise ValidationError(
            _("A turf holds between %(min)d and %(max)d doors.")
            % {"min": MIN_TURF_SIZE, "max": MAX_TURF_SIZE}
        )


def _door_rows(target_list: TargetList) -> list[tuple]:
    """(target, lon, lat, building, street, city, zip, unit) per door, in building and street order."""
    rows = list(
        Target.objects.filter(target_list=target_list, address__isnull=False).values_list(
            "pk",
            "address__longitude",
            "address__latitude",
            "address__building_id",
            "address__street",
            "address__city",
            "address__zip_code",
            "address__unit",
        )
    )
    rows.sort(key=lambda r: (r[3] or 0, r[4].lower(), r[5].lower(), r[6], _natural(r[7])))
    return rows


def _building_groups(rows: list[tuple]) -> np.ndarray:
    """Same building = same Building, or the same street, city and ZIP when the address has no building."""
    keys: dict[object, int] = {}
    building_keys = [("b", r[3]) if r[3] else ("s", r[4].lower(), r[5].lower(), r[6]) for r in rows]
    return np.array([keys.setdefault(k, len(keys)) for k in building_keys])


def _turfs_new(
    target_list: TargetList,
    plan: TurfPlan,
    members: dict[int, list[int]],
    chunks: list[list[int]],
    *,
    lon: np.ndarray,
    lat: np.ndarray,
) -> list[Turf]:
    """The turfs of a cut (not saved): one per label of the plan, then the "No location" ones."""
    turfs = [
        Turf(
            target_list=target_list,
            number=label + 1,
            name=_("Turf %(n)d") % {"n": label + 1},
            outline=turf_outline(lon[members[label]], lat[members[label]]),
            door_count=len(members[label]),
        )
        for label in range(plan.n_turfs)
    ]
    turfs += [
        Turf(
            target_list=target_list,
            number=plan.n_turfs + c + 1,
            name=_("No location %(n)d") % {"n": c + 1},
            outline=None,
            door_count=len(chunk),
        )
        for c, chunk in enumerate(chunks)
    ]
    return turfs


def _targets_set_turf(updates: list[tuple[int, int, int]]) -> None:
    """Set (turf, sequence) on many targets with UPDATE ... FROM (VALUES ...), a few hundred rows per
    statement: Django's bulk_update builds CASE expressions, and one UPDATE per row through executemany
    grew to minutes at 100k rows on SQLite. Both SQLite (>= 3.33) and PostgreSQL name VALUES columns
    column1, column2, ..."""
    table = connection.ops.quote_name(Target._meta.db_table)
    turf_col = connection.ops.quote_name(Target._meta.get_field("turf").column)
    seq_col = connection.ops.quote_name("sequence")
    id_col = connection.ops.quote_name("id")
    updates.sort(key=lambda u: u[2])
    chunk = 300  # 900 parameters: under every backend's limit
    with connection.cursor() as cursor:
        for start in range(0, len(updates), chunk):
            rows = updates[start : start + chunk]
            values = ", ".join(["(%s, %s, %s)"] * len(rows))
            sql = (
                f"UPDATE {table} SET {turf_col} = v.column1, {seq_col} = v.column2 "  # noqa: S608 - names only
                f"FROM (VALUES {values}) AS v WHERE {table}.{id_col} = v.column3"
            )
            cursor.execute(sql, [p for row in rows for p in row])


@transaction.atomic
def turf_assign(*, turf: Turf, actor: User, user: User | None = None, team: Team | None = None) -> Turf:
    """Give a turf to a worker (and their team) or to a team; with neither, take it back. Reassigning is
    allowed."""
    actor.require(Capability.MANAGE_CAMPAIGNS)
    if user is not None and not (user.is_active and user.can(Capability.LOG_CONVERSATIONS)):
        raise ValidationError(_("%(user)s cannot knock on doors (no outreach role).") % {"user": user})
    turf.assigned_to = user
    turf.assigned_team = team if team is not None else (user.team if user is not None else None)
    turf.save(update_fields=["assigned_to", "assigned_team"])
    return turf


def turf_languages(*, target_list: TargetList) -> dict[int, set[str]]:
    """The preferred languages of the residents living at each turf's doors, by turf id."""
    rows = (
        Resident.objects.filter(
            address__in=Target.objects.filter(target_list=target_list, turf__isnull=False).values("address")
        )
        .values_list("address_id", "preferred_language")
        .distinct()
    )
    by_address: dict[int, set[str]] = defaultdict(set)
    for address_id, language in rows:
        by_address[address_id].add(language)
    result: dict[int, set[str]] = defaultdict(set)
    for turf_id, address_id in Target.objects.filter(
        target_list=target_list, turf__isnull=False
    ).values_list("turf_id", "address_id"):
        result[turf_id] |= by_address.get(address_id, set())
    return result


@transaction.atomic
def turfs_auto_assign(
    *, target_list: TargetList, workers: Sequence[User] | Iterable[User], actor: User | None = None
) -> dict[int, User]:
    """Hand every turf of the list to one of `workers`, replacing earlier assignments.

    Each worker gets at most ceil(turfs / workers) turfs. Turfs whose residents speak the rarest languages
    are placed first, each with the least-loaded worker who speaks all its languages (User.languages), else
    the one who speaks the most of them. Returns {turf id: worker}.
    """
    if actor is not None:
        actor.require(Capability.MANAGE_CAMPAIGNS)
    pool = [w for w in workers if w.is_active and w.can(Capability.LOG_CONVERSATIONS)]
    if not pool:
        raise ValidationError(_("Choose at least one active outreach worker."))
    turfs = list(Turf.objects.filter(target_list=target_list).order_by("number"))
    if not turfs:
        raise ValidationError(_("Cut the list into turfs first."))
    languages = turf_languages(target_list=target_list)
    speakers = Counter(code for w in pool for code in set(w.languages or []))

    def rarity(turf: Turf) -> tuple:
        needed = languages.get(turf.pk, set())
        return (min((speakers[c] for c in needed), default=len(pool) + 1), -len(needed), turf.number)

    cap = math.ceil(len(turfs) / len(pool))
    load = {w.pk: 0 for w in pool}
    chosen: dict[int, User] = {}
    for turf in sorted(turfs, key=rarity):
        needed = languages.get(turf.pk, set())
        open_workers = [w for w in pool if load[w.pk] < cap]
        best = min(
            open_workers,
            key=lambda w: (
                not needed <= set(w.languages or []),
                -len(needed & set(w.languages or [])),
                load[w.pk],
                w.username,
            ),
        )
        load[best.pk] += 1
        chosen[turf.pk] = best
        turf.assigned_to = best
        turf.assigned_team = best.team
    Turf.objects.bulk_update(turfs, ["assigned_to", "assigned_team"])
    return chosen
