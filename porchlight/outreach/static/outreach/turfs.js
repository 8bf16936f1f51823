/* Turf map: outlines and door points colored by turf. No tile layer (works offline). */
(function () {
  "use strict";
  // 12 distinguishable colors; turf n uses PALETTE[(n - 1) % 12] on the map and in the legend swatches.
  var PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf",
                 "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#005ea2", "#b50909"];
  function color(n) { return PALETTE[(Number(n) - 1) % PALETTE.length]; }

  function paintSwatches(root) {
    root.querySelectorAll(".pl-turf-swatch[data-turf]").forEach(function (el) {
      el.style.backgroundColor = color(el.dataset.turf);
    });
  }

  function drawMap(root) {
    var el = root.querySelector("[data-turf-geojson]");
    if (!el || el.dataset.rendered || typeof window.L === "undefined") return;
    el.dataset.rendered = "1";
    fetch(el.dataset.turfGeojson, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (geo) {
        var map = L.map(el, { attributionControl: false, scrollWheelZoom: false, preferCanvas: true });
        var layer = L.geoJSON(geo, {
          style: function (f) {
            return { color: color(f.properties.turf), weight: 2, fillOpacity: 0.08 };
          },
          pointToLayer: function (f, latlng) {
            return L.circleMarker(latlng, { radius: 3, weight: 0, fillOpacity: 0.9, fillColor: color(f.properties.turf) });
          },
          onEachFeature: function (f, l) {
            if (f.geometry.type !== "Point") l.bindTooltip(f.properties.name + " · " + f.properties.doors, { sticky: true });
          }
        }).addTo(map);
        var bounds = layer.getBounds();
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
        else map.setView([0, 0], 1);
      })
      .catch(function () { el.classList.add("pl-map--failed"); });
  }

  function init(root) { paintSwatches(root); drawMap(root); }
  if (window.htmx) window.htmx.onLoad(init);
  else document.addEventListener("DOMContentLoaded", function () { init(document); });
})();
