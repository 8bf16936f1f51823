"""Point-in-polygon assignment of addresses to areas, with shapely's STRtree.

The index is built from the database once and kept per process; `area_index_reset()` drops it after areas
change (the area loader calls it).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from shapely.geometry import shape

from porchlight.places.models import Area


@dataclass(frozen=True)
class AreaIndex:
    area_ids: np.ndarray
    geometries: np.ndarray
    tree: shapely.STRtree

    def areas_containing(self, lons: np.ndarray, lats: np.ndarray) -> list[list[int]]:
        """For each point, the ids of the areas that contain it (boundary points count as inside)."""
        points = shapely.points(lons, lats)
        found: list[list[int]] = [[] for _ in range(len(points))]
        if len(points) == 0 or len(self.area_ids) == 0:
            return found
        point_idx, geom_idx = self.tree.query(points, predicate="intersects")
        for p, g in zip(point_idx.tolist(), geom_idx.tolist(), strict=True):
            found[p].append(int(self.area_ids[g]))
        return found


def geometry_from_geojson(geometry: dict) -> shapely.Geometry:
    """A valid (Multi)Polygon. Repairing a self-touching ring can leave stray lines or points beside the
    polygons (a GeometryCollection); an area is its polygons only."""
    geom = shape(geometry)
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    if geom.geom_type == "GeometryCollection":
        polygons = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
        geom = shapely.union_all(polygons) if polygons else shapely.Polygon()
    return geom


@lru_cache(maxsize=1)
def area_index() -> AreaIndex:
    rows = list(Area.objects.values_list("id", "geometry"))
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    geoms = np.array([geometry_from_geojson(r[1]) for r in rows], dtype=object)
    shapely.prepare(geoms)
    return AreaIndex(area_ids=ids, geometries=geoms, tree=shapely.STRtree(geoms))


def area_index_reset() -> None:
    area_index.cache_clear()


def areas_for_point(longitude: float, latitude: float) -> list[int]:
    return area_index().areas_containing(np.array([longitude]), np.array([latitude]))[0]
