import json

import pytest

from porchlight.places.geo import areas_for_point, geometry_from_geojson
from porchlight.places.models import Area
from porchlight.places.services import AreaLoadError, areas_load_geojson

# A square with a spike: make_valid turns it into a polygon plus a stray line (a GeometryCollection).
SPIKED = {
    "type": "Polygon",
    "coordinates": [[[0, 0], [2, 0], [2, 1], [3, 1], [2, 1], [2, 2], [0, 2], [0, 0]]],
}


def test_it_keeps_only_the_polygon_of_a_repaired_geometry():
    geom = geometry_from_geojson(SPIKED)
    assert geom.geom_type == "Polygon"
    assert geom.area == pytest.approx(4.0)


def _write(tmp_path, features):
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_it_loads_areas_and_places_points_in_them(db, tmp_path):
    path = _write(tmp_path, [{"type": "Feature", "properties": {"id": "7"}, "geometry": SPIKED}])
    (area,) = areas_load_geojson(
        path=path,
        kind="neighborhood",
        code_property="id",
        name_template="NPA {code}",
        populations={"7": 1200},
        population_year=2020,
    )
    assert (area.name, area.population, area.geometry["type"]) == ("NPA 7", 1200, "Polygon")
    assert (area.min_lon, area.max_lon) == (0, 2)
    assert areas_for_point(1.0, 1.0) == [area.pk]
    assert areas_for_point(2.5, 1.0) == []  # on the stray spike: not inside the area


@pytest.mark.parametrize(
    ("features", "message"),
    [
        ([{"type": "Feature", "properties": {}, "geometry": SPIKED}], "no 'id' property"),
        (
            [
                {
                    "type": "Feature",
                    "properties": {"id": "1"},
                    "geometry": {"type": "Point", "coordinates": [0, 0]},
                }
            ],
            "not a polygon",
        ),
    ],
)
def test_it_refuses_a_bad_file_and_writes_nothing(db, tmp_path, features, message):
    good = {"type": "Feature", "properties": {"id": "9"}, "geometry": SPIKED}
    with pytest.raises(AreaLoadError, match=message):
        areas_load_geojson(path=_write(tmp_path, [good, *features]), kind="zip", code_property="id")
    assert not Area.objects.exists()


def test_it_refuses_a_file_that_is_not_geojson(db, tmp_path):
    path = tmp_path / "x.geojson"
    path.write_text("not json")
    with pytest.raises(AreaLoadError, match="not a GeoJSON"):
        areas_load_geojson(path=path, kind="zip", code_property="id")
