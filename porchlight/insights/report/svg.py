"""A static SVG of the reach map for the PDF report (WeasyPrint runs no JavaScript: Leaflet can't draw)."""

from __future__ import annotations

import math

from django.utils.html import escape

from porchlight.insights.geometry import area_shapes

WIDTH = 640


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def reach_map_svg(map_data: dict, *, kind: str) -> str:
    """The areas of `kind` filled with the colours of `map_data` (choropleth.reach_map), as an SVG string.

    An equirectangular projection scaled by the cosine of the mid latitude: at city scale the distortion is
    invisible, and it needs no projection library.
    """
    features = area_shapes(kind)["features"]
    rings = [(f["id"], _rings(f["geometry"])) for f in features]
    points = [pt for _id, rs in rings for ring in rs for pt in ring]
    if not points:
        return ""
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    k = math.cos(math.radians((min_y + max_y) / 2))
    span_x = max((max_x - min_x) * k, 1e-9)
    span_y = max(max_y - min_y, 1e-9)
    scale = WIDTH / span_x
    height = round(span_y * scale)
    values = map_data.get("values", {})
    paths = []
    for area_id, area_rings in rings:
        d = " ".join(
            "M"
            + " L".join(f"{(x - min_x) * k * scale:.1f},{(max_y - y) * scale:.1f}" for x, y in ring)
            + " Z"
            for ring in area_rings
        )
        fill = values.get(area_id, {}).get("c", "#f0f0f0")
        paths.append(f'<path d="{d}" fill="{escape(fill)}" stroke="#ffffff" stroke-width="0.5"/>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-hidden="true">{"".join(paths)}</svg>'
    )
