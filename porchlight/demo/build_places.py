"""Areas from the real Charlotte–Mecklenburg geography, and addresses placed inside the neighborhoods."""

from __future__ import annotations

import re

import numpy as np
import shapely

from porchlight.demo import sources
from porchlight.demo.context import BuildContext
from porchlight.places.geo import area_index
from porchlight.places.models import Address, Area, Building
from porchlight.places.services import areas_load_geojson

# Real Charlotte thoroughfares, used beside the streets of nearby named places and invented side streets.
ARTERIALS = [
    "Beatties Ford Rd",
    "Central Ave",
    "The Plaza",
    "Freedom Dr",
    "Wilkinson Blvd",
    "South Blvd",
    "Albemarle Rd",
    "Sugar Creek Rd",
    "Eastway Dr",
    "Monroe Rd",
    "Providence Rd",
    "Park Rd",
    "Sharon Amity Rd",
    "Statesville Ave",
    "West Blvd",
    "Remount Rd",
    "Tuckaseegee Rd",
    "Rozzelles Ferry Rd",
    "Nations Ford Rd",
    "Arrowood Rd",
    "Milton Rd",
    "W.T. Harris Blvd",
    "N Tryon St",
    "S Tryon St",
    "Shamrock Dr",
    "Commonwealth Ave",
    "Hawthorne Ln",
    "N Graham St",
    "Lasalle St",
    "Brookshire Blvd",
    "Independence Blvd",
    "Idlewild Rd",
    "Mallard Creek Rd",
    "Steele Creek Rd",
    "Ballantyne Commons Pkwy",
    "Rea Rd",
    "Mount Holly-Huntersville Rd",
    "Matthews-Mint Hill Rd",
    "Little Rock Rd",
    "Wendover Rd",
    "Selwyn Ave",
    "Queens Rd",
    "Clanton Rd",
    "Archdale Dr",
    "Tyvola Rd",
    "Albemarle Rd",
    "Parkwood Ave",
    "Seigle Ave",
    "Kenilworth Ave",
]
STREET_FIRST = [
    "Oak",
    "Cedar",
    "Laurel",
    "Hickory",
    "Dogwood",
    "Magnolia",
    "Briar",
    "Fox Hollow",
    "Mallard",
    "Sardis",
    "Wingate",
    "Kentworth",
    "Pine Valley",
    "Willow Oak",
    "Sycamore",
    "Poplar",
    "Chestnut",
    "Redbud",
    "Holly",
    "Tanglewood",
    "Bent Creek",
    "Shady Brook",
    "Stonehaven",
    "Ridgeview",
    "Rolling Hill",
    "Sugar Maple",
    "Windsor",
    "Amity",
    "Hampton",
    "Carmel",
    "Piedmont",
    "Catawba",
    "Yadkin",
    "Davidson",
    "McAlpine",
    "Irwin",
    "Briar Creek",
    "Paw Creek",
    "Coulwood",
    "Hidden Valley",
    "Druid Hills",
    "Enderly",
    "Wesley",
    "Camp Greene",
    "Thomasboro",
    "Lincoln Heights",
    "Grier",
    "Hoskins",
    "Reid Park",
    "Sedgefield",
    "Starmount",
    "Windy Ridge",
    "Tall Pines",
    "Meadowbrook",
    "Queen Anne",
    "Sherwood",
    "Kings Grant",
    "Elmhurst",
]
STREET_SUFFIX = ["Ln", "Dr", "Ct", "Rd", "Way", "Cir", "Pl", "Trl", "St", "Ave", "Ter", "Run"]
BUILDING_SITE_SHARE = 0.018  # of sites; with ~24 units each, about a quarter of doors are apartments
RENT_REGULATED_SHARE = 0.3  # of apartment buildings
_NOT_A_VENUE = re.compile(r"Office|Building|Administrative|Annex|Warehouse", re.IGNORECASE)
DO_NOT_CONTACT_SHARE = 0.006  # of doors (a posted "no soliciting, no canvassing")


def build_areas(ctx: BuildContext) -> None:
    populations = sources.npa_populations()
    year = sources.POPULATION_YEAR
    npa_areas = areas_load_geojson(
        path=sources.NPA_FILE,
        kind=Area.Kind.NEIGHBORHOOD,
        code_property="id",
        name_template="NPA {code}",
        populations=populations,
        population_year=year,
    )
    npa = sources.npas()
    landmarks = dict(
        zip(npa.codes, sources.nearest_landmarks(shapely.point_on_surface(npa.geometries)), strict=True)
    )
    for area in npa_areas:
        if landmarks.get(area.code):
            area.name = f"NPA {area.code} · near {landmarks[area.code]}"
    Area.objects.bulk_update(npa_areas, ["name"], batch_size=500)
    districts = areas_load_geojson(
        path=sources.COUNCIL_FILE,
        kind=Area.Kind.COUNCIL_DISTRICT,
        code_property="district",
        name_template="Council District {code}",
        populations=sources.population_by_centroid(sources.council_districts()),
        population_year=year,
    )
    zips = areas_load_geojson(
        path=sources.ZIP_FILE,
        kind=Area.Kind.ZIP,
        code_property="zipcode",
        name_template="ZIP {code}",
        populations=sources.population_by_centroid(sources.zip_areas()),
        population_year=year,
    )
    by_code = {a.code: a for a in npa_areas}
    ctx.npa_ids = [by_code[code].pk for code in npa.codes]
    ctx.npa_weights = [float(populations.get(code, 0)) for code in npa.codes]
    ctx.venues = sorted(
        {sources.short_park_name(p.name) for p in sources.places() if not _NOT_A_VENUE.search(p.name)}
    )
    ctx.progress(f"{len(npa_areas)} neighborhoods, {len(districts)} council districts, {len(zips)} ZIP codes")


def _random_points(geom: shapely.Geometry, n: int, np_rng: np.random.Generator) -> np.ndarray:
    """n points uniformly inside the polygon (rejection sampling in its bounding box)."""
    min_x, min_y, max_x, max_y = geom.bounds
    found = np.empty((0, 2))
    while len(found) < n:
        batch = max(16, 3 * (n - len(found)))
        xs = np_rng.uniform(min_x, max_x, batch)
        ys = np_rng.uniform(min_y, max_y, batch)
        inside = shapely.contains_xy(geom, xs, ys)
        found = np.vstack([found, np.column_stack([xs[inside], ys[inside]])])
    return np.round(found[:n], 6)


def _street_pool(ctx: BuildContext, named_streets: list[str]) -> list[str]:
    rng = ctx.rng
    pool = list(dict.fromkeys(named_streets))[:3]
    pool.append(rng.choice(ARTERIALS))
    while len(pool) < 9:
        name = f"{rng.choice(STREET_FIRST)} {rng.choice(STREET_SUFFIX)}"
        if name not in pool:
            pool.append(name)
    return pool


def build_addresses(ctx: BuildContext) -> None:
    rng, np_rng = ctx.rng, ctx.np_rng
    npa = sources.npas()
    weights = np.array(ctx.npa_weights)
    counts = np_rng.multinomial(ctx.n_addresses, weights / weights.sum())
    place_list = sources.places()
    place_points = shapely.points([p.lon for p in place_list], [p.lat for p in place_list])
    place_tree = shapely.STRtree(place_points)

    # Sites: a house (one door) or an apartment building (many doors at one point).
    sites: list[tuple[int, str, int]] = []  # (npa index, street name, units; 0 = house)
    coords: list[np.ndarray] = []
    all_streets: set[str] = set()
    for i, count in enumerate(counts.tolist()):
        if count == 0:
            continue
        geom = npa.geometries[i]
        near = place_tree.query_nearest(geom, max_distance=0.02, all_matches=True)
        named = [place_list[j].street for j in sorted(near.tolist()) if place_list[j].street]
        pool = _street_pool(ctx, named)
        all_streets.update(pool)
        remaining, n_sites = count, 0
        while remaining > 0:
            if remaining >= 2 and rng.random() < BUILDING_SITE_SHARE:
                units = min(remaining, rng.randint(8, 40))
            else:
                units = 0
            sites.append((i, rng.choice(pool), units))
            remaining -= max(units, 1)
            n_sites += 1
        coords.append(_random_points(geom, n_sites, np_rng))
    points = np.vstack(coords)
    ctx.streets = sorted(all_streets)

    # Every area that contains each point, from the places' STRtree over all areas, in one query.
    index = area_index()
    containing = index.areas_containing(points[:, 0], points[:, 1])
    zip_by_id = {a.pk: a for a in Area.objects.filter(kind=Area.Kind.ZIP)}
    zips = sources.zip_areas()
    zip_city = {
        code: sources.tidy_name(str(props.get("post_office_city") or "Charlotte"))
        for code, props in zip(zips.codes, zips.props, strict=True)
    }
    zip_pk_by_code = {a.code: a.pk for a in zip_by_id.values()}
    nearest_zip = shapely.STRtree(zips.geometries).query_nearest(
        shapely.points(points), all_matches=False, return_distance=False
    )[1]

    used: set[tuple[str, str]] = set()
    buildings: list[Building] = []
    doors: list[tuple[int, Address]] = []  # (site index, address)
    for s, (_, street_name, units) in enumerate(sites):
        area_ids = containing[s]
        zip_code = next((zip_by_id[a].code for a in area_ids if a in zip_by_id), None)
        if zip_code is None:  # a sliver the 2013 ZIP layer misses: the nearest ZIP
            zip_code = zips.codes[int(nearest_zip[s])]
            area_ids = [*area_ids, zip_pk_by_code[zip_code]]
            containing[s] = area_ids
        while True:
            number = rng.randrange(100, 9999 if units else 7999, 2 if rng.random() < 0.5 else 1)
            street = f"{number} {street_name}"
            if (street, zip_code) not in used:
                used.add((street, zip_code))
                break
        lon, lat = float(points[s, 0]), float(points[s, 1])
        city = zip_city.get(zip_code, "Charlotte")
        common = {"street": street, "city": city, "zip_code": zip_code, "latitude": lat, "longitude": lon}
        if units:
            building = Building(
                street=street,
                city=city,
                state="NC",
                zip_code=zip_code,
                building_type=Building.Type.MULTI_FAMILY,
                unit_count=units,
                rent_regulated=rng.random() < RENT_REGULATED_SHARE,
            )
            buildings.append(building)
            for u in range(units):
                unit = f"Apt {1 + u // 12}{1 + u % 12:02d}"
                doors.append((s, Address(unit=unit, building=building, **common)))
        else:
            doors.append((s, Address(do_not_contact=rng.random() < DO_NOT_CONTACT_SHARE, **common)))
    Building.objects.bulk_create(buildings, batch_size=500)
    for _, address in doors:
        if address.building is not None:
            address.building_id = address.building.pk
    Address.objects.bulk_create([a for _, a in doors], batch_size=1000)
    through = Address.areas.through
    through.objects.bulk_create(
        [through(address_id=a.pk, area_id=area_id) for s, a in doors for area_id in containing[s]],
        batch_size=2000,
    )
    npa_pk = set(ctx.npa_ids)
    for s, address in doors:
        ctx.address_npa[address.pk] = next(a for a in containing[s] if a in npa_pk)
        ctx.address_street[address.pk] = sites[s][1]
    ctx.address_rows = [a for _, a in doors]
    ctx.progress(f"{len(doors)} addresses at {len(sites)} sites, {len(buildings)} apartment buildings")
