"""Area geometry for the dashboard: light GeoJSON for the map, and neighborhood → district/ZIP roll-ups.

Both are derived from the areas table only (public boundary data, no residents), so they are cached. The
cache key includes the number of areas of the kind and their highest id, so an import that adds areas is
picked up at once; an edit of an existing boundary is picked up when the cache entry expires (an hour).
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import Aggregate, Count, Max, Q
from shapely.geometry import mapping, shape
from shapely.prepared import prep

from porchlight.places.models import Area

CACHE_SECONDS = 60 * 60
# About 50 m at Charlotte's latitude: invisible at city zoom, and it cuts vertex counts several-fold.
SIMPLIFY_DEGREES = 0.0005
COORD_DECIMALS = 4  # about 10 m


def _signature(*kinds: str) -> str:
    """How many areas of each kind there are, and their highest id: one query, whatever the kinds."""
    aggregates: dict[str, Aggregate] = {}
    for i, kind in enumerate(kinds):
        aggregates[f"n{i}"] = Count("id", filter=Q(kind=kind))
        aggregates[f"m{i}"] = Max("id", filter=Q(kind=kind))
    agg = Area.objects.aggregate(**aggregates)
    return ":".join(f"{kind}-{agg[f'n{i}']}-{agg[f'm{i}']}" for i, kind in enumerate(kinds))


def _round(coords: Any) -> Any:
    if isinstance(coords, (list, tuple)):
        if coords and isinstance(coords[0], (int, float)):
            return [round(float(c), COORD_DECIMALS) for c in coords]
        return [_round(c) for c in coords]
    return coords


def simplify_geometry(geometry: dict) -> dict | None:
    """A GeoJSON geometry simplified (topology kept) and rounded; None if it is empty or broken."""
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    if geom.is_empty:
        return None
    small = geom.simplify(SIMPLIFY_DEGREES, preserve_topology=True)
    if small.is_empty:
        small = geom
    out = mapping(small)
    if "coordinates" not in out:  # a collection: not drawable as one area
        return None
    return {"type": out["type"], "coordinates": _round(out["coordinates"])}


def area_shapes(kind: str) -> dict:
    """A GeoJSON FeatureCollection of every area of `kind`: id, code and name, simplified geometry."""
    key = f"insights:shapes:{_signature(kind)}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    features = []
    for area in Area.objects.filter(kind=kind).only("id", "code", "name", "geometry").order_by("name"):
        geom = simplify_geometry(area.geometry)
        if geom is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": area.id,
                "properties": {"code": area.code, "name": area.name},
                "geometry": geom,
            }
        )
    data = {"type": "FeatureCollection", "features": features}
    cache.set(key, data, CACHE_SECONDS)
    return data


def area_parent_map(kind: str) -> dict[int, int]:
    """Neighborhood id → id of the area of `kind` (council district, ZIP) holding its representative point.

    A representative point is always inside its polygon (a centroid may not be, for a crescent-shaped area).
    Neighborhoods straddling two districts go wholly to the one that holds that point.
    """
    key = f"insights:parents:{_signature(kind, Area.Kind.NEIGHBORHOOD)}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    parents = []
    for area in Area.objects.filter(kind=kind).only("id", "geometry"):
        try:
            geom = shape(area.geometry)
        except (ValueError, TypeError, KeyError, AttributeError):
            continue
        parents.append((area.id, geom.bounds, prep(geom)))
    result: dict[int, int] = {}
    for hood in Area.objects.filter(kind=Area.Kind.NEIGHBORHOOD).only("id", "geometry"):
        try:
            point = shape(hood.geometry).representative_point()
        except (ValueError, TypeError, KeyError, AttributeError):
            continue
        for area_id, (x0, y0, x1, y1), prepared in parents:
            if x0 <= point.x <= x1 and y0 <= point.y <= y1 and prepared.covers(point):
                result[hood.id] = area_id
                break
    cache.set(key, result, CACHE_SECONDS)
    return result
