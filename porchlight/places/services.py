"""Writes for places: loading areas from GeoJSON, creating addresses and placing them in areas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import shapely
from django.conf import settings
from django.db import transaction

from porchlight.places.geo import area_index_reset, areas_for_point, geometry_from_geojson
from porchlight.places.models import Address, Area


class AreaLoadError(ValueError):
    pass


@transaction.atomic
def areas_load_geojson(
    *,
    path: Path | str,
    kind: str,
    code_property: str,
    name_template: str = "{code}",
    populations: dict[str, int] | None = None,
    population_year: int | None = None,
) -> list[Area]:
    """Create or update one area per GeoJSON feature. All features are checked before anything is written."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        features = data["features"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise AreaLoadError(f"{path}: not a GeoJSON FeatureCollection ({exc})") from exc
    parsed: list[tuple[str, dict[str, Any], tuple[float, float, float, float]]] = []
    for n, feature in enumerate(features, start=1):
        code = str((feature.get("properties") or {}).get(code_property, "")).strip()
        geometry = feature.get("geometry")
        if not code:
            raise AreaLoadError(f"{path}: feature {n} has no '{code_property}' property")
        if not geometry or geometry.get("type") not in {"Polygon", "MultiPolygon"}:
            raise AreaLoadError(f"{path}: feature {n} ({code}) is not a polygon")
        geom = geometry_from_geojson(geometry)
        parsed.append((code, shapely.geometry.mapping(geom), geom.bounds))
    areas = []
    for code, geometry, (min_lon, min_lat, max_lon, max_lat) in parsed:
        population = (populations or {}).get(code)
        area, _ = Area.objects.update_or_create(
            kind=kind,
            code=code,
            defaults={
                "name": name_template.format(code=code),
                "geometry": json.loads(json.dumps(geometry)),
                "min_lon": min_lon,
                "min_lat": min_lat,
                "max_lon": max_lon,
                "max_lat": max_lat,
                "population": population,
                "population_year": population_year if population is not None else None,
            },
        )
        areas.append(area)
    transaction.on_commit(area_index_reset)
    area_index_reset()
    return areas


def address_assign_areas(*, address: Address) -> list[int]:
    """Put the address in every area that contains its coordinates; returns the area ids."""
    if address.latitude is None or address.longitude is None:
        address.areas.clear()
        return []
    area_ids = areas_for_point(address.longitude, address.latitude)
    address.areas.set(area_ids)
    return area_ids


@transaction.atomic
def address_create(
    *,
    street: str,
    city: str,
    zip_code: str,
    unit: str = "",
    state: str = "NC",
    latitude: float | None = None,
    longitude: float | None = None,
) -> Address:
    address, _ = Address.objects.get_or_create(
        street=street.strip(),
        unit=unit.strip(),
        city=city.strip(),
        zip_code=zip_code.strip(),
        defaults={"state": state, "latitude": latitude, "longitude": longitude},
    )
    address_assign_areas(address=address)
    return address


def address_in_city(*, street: str, zip_code: str, unit: str = "") -> Address:
    """A door typed into a form in this city: the existing address when it matches, else a new one."""
    return address_create(
        street=street,
        unit=unit,
        zip_code=zip_code,
        city=settings.PORCHLIGHT_CITY["name"],
        state=settings.PORCHLIGHT_CITY["state"],
    )
