"""The real Charlotte–Mecklenburg data the demo city is built on (copied into porchlight/demo/data/)."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape

DATA_DIR = Path(__file__).resolve().parent / "data"
NPA_FILE = DATA_DIR / "npa.geojson"
COUNCIL_FILE = DATA_DIR / "charlotte_city_council.geojson"
ZIP_FILE = DATA_DIR / "zipcodes.geojson"
POPULATION_FILE = DATA_DIR / "npa_population_r47.csv"
POPULATION_YEAR = 2020

_UPPER_WORDS = {"NW", "NE", "SW", "SE", "II", "III", "YMCA", "UCC", "CMS", "CPCC", "PK", "K-8"}
_STREET_FIXES = {
    "Road": "Rd",
    "Drive": "Dr",
    "Street": "St",
    "Avenue": "Ave",
    "Lane": "Ln",
    "Boulevard": "Blvd",
}


def _read_features(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def tidy_name(raw: str) -> str:
    """'ABBOTT NEIGHBORHOOD PARK' -> 'Abbott Neighborhood Park'; keeps short all-caps abbreviations."""
    words = []
    for word in re.sub(r"\s+", " ", raw.strip()).split(" "):
        up = word.upper().rstrip(".,")
        if up in _UPPER_WORDS:
            words.append(up)
        elif word.isupper() and up.startswith("MC") and len(word) > 3:
            words.append("Mc" + word[2:].capitalize())
        else:
            words.append(word.capitalize() if word.isupper() else word)
    return " ".join(words)


def street_of(address: str) -> str | None:
    """The street part of '1300  SPRUCE ST' -> 'Spruce St' (None when there is no house number)."""
    match = re.match(r"^\s*\d+[A-Za-z]?\s+(.+?)\s*$", address or "")
    if not match:
        return None
    words = [w.rstrip(".") for w in tidy_name(match.group(1)).split(" ")]
    words = [_STREET_FIXES.get(w, w) for w in words]
    words = [{"N": "N", "S": "S", "E": "E", "W": "W"}.get(w.upper(), w) if len(w) == 1 else w for w in words]
    street = " ".join(words)
    return street if 4 <= len(street) <= 40 and not any(ch.isdigit() for ch in street) else None


@lru_cache(maxsize=1)
def npa_populations() -> dict[str, int]:
    with POPULATION_FILE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    result = {}
    for row in rows:
        value = row.get(f"y_{POPULATION_YEAR}") or ""
        result[row["id"]] = int(float(value)) if value.strip() else 0
    return result


@dataclass(frozen=True)
class Polygons:
    codes: list[str]
    geometries: np.ndarray
    props: list[dict]


@cache
def polygons(path: Path, code_property: str) -> Polygons:
    features = _read_features(path)
    geoms = []
    for feature in features:
        geom = shape(feature["geometry"])
        geoms.append(geom if geom.is_valid else shapely.make_valid(geom))
    array = np.array(geoms, dtype=object)
    shapely.prepare(array)
    return Polygons(
        codes=[str(f["properties"][code_property]) for f in features],
        geometries=array,
        props=[f["properties"] for f in features],
    )


def npas() -> Polygons:
    return polygons(NPA_FILE, "id")


def council_districts() -> Polygons:
    return polygons(COUNCIL_FILE, "district")


def zip_areas() -> Polygons:
    return polygons(ZIP_FILE, "zipcode")


def population_by_centroid(target: Polygons) -> dict[str, int]:
    """Sum of the NPA populations whose centroid (a point surely inside) lies in each target polygon."""
    npa = npas()
    pops = npa_populations()
    inside = shapely.point_on_surface(npa.geometries)
    tree = shapely.STRtree(target.geometries)
    point_idx, target_idx = tree.query(inside, predicate="within")
    totals = dict.fromkeys(target.codes, 0)
    for p, t in zip(point_idx.tolist(), target_idx.tolist(), strict=True):
        totals[target.codes[t]] += pops.get(npa.codes[p], 0)
    return totals


@dataclass(frozen=True)
class Place:
    """A real named place (park, library, school, polling place) with its street."""

    name: str
    kind: str
    street: str | None
    lon: float
    lat: float


@lru_cache(maxsize=1)
def places() -> tuple[Place, ...]:
    found: list[Place] = []
    for kind in ("parks", "libraries", "schools", "polling_locations"):
        for feature in _read_features(DATA_DIR / f"{kind}.geojson"):
            props = feature["properties"]
            geom = feature.get("geometry") or {}
            if geom.get("type") != "Point" or not props.get("name"):
                continue
            lon, lat = geom["coordinates"][:2]
            name = tidy_name(str(props["name"]))
            if kind == "libraries" and "Library" not in name:
                name = f"{name} Library"
            found.append(Place(name, kind, street_of(str(props.get("address", ""))), float(lon), float(lat)))
    return tuple(found)


def short_park_name(name: str) -> str:
    """'Abbott Neighborhood Park' -> 'Abbott Park' (the name people use)."""
    for word in (" Neighborhood Park", " Community Park", " District Park", " Nature Preserve Park"):
        if name.endswith(word):
            return name[: -len(word)] + " Park"
    return name


def nearest_landmarks(points: np.ndarray) -> list[str]:
    """For each shapely point, the name of the nearest park or library (a friendlier label for an NPA)."""
    landmarks = [p for p in places() if p.kind in {"parks", "libraries"}]
    geoms = shapely.points([p.lon for p in landmarks], [p.lat for p in landmarks])
    idx = shapely.STRtree(geoms).query_nearest(points, return_distance=False, all_matches=False)
    names = [""] * len(points)
    for p, g in zip(idx[0].tolist(), idx[1].tolist(), strict=True):
        names[p] = short_park_name(landmarks[g].name)
    return names
