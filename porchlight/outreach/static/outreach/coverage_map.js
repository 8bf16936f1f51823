/* The coverage map: door targets as small circles, attempted or not (no tile layer: works offline). */
(function () {
  "use strict";
  var ATTEMPTED = "#005ea2", SOME = "#73b3e7", NONE = "#ffbe2e";
  function draw() {
    var el = document.getElementById("coverage-map");
    if (!el || el.dataset.rendered || typeof window.L === "undefined") return;
    el.dataset.rendered = "1";
    var points = JSON.parse(document.getElementById(el.dataset.coverage).textContent);
    var grid = el.dataset.mode === "grid";
    var map = L.map(el, { attributionControl: false, scrollWheelZoom: false, dragging: !L.Browser.mobile,
                          tap: false, zoomSnap: 0.25, preferCanvas: true });
    var biggest = 1;
    if (grid) points.forEach(function (p) { biggest = Math.max(biggest, p[2]); });
    var bounds = [];
    points.forEach(function (p) {
      var color, radius, tip;
      if (grid) {
        color = p[3] === 0 ? NONE : (p[3] === p[2] ? ATTEMPTED : SOME);
        radius = 3 + 9 * Math.sqrt(p[2] / biggest);
        tip = p[3] + " / " + p[2];
      } else {
        color = p[2] ? ATTEMPTED : NONE;
        radius = 4;
        tip = null;
      }
      var m = L.circleMarker([p[0], p[1]], { radius: radius, color: "#1b1b1b", weight: 1, fillColor: color, fillOpacity: 0.9 });
      if (tip) m.bindTooltip(tip);
      m.addTo(map);
      bounds.push([p[0], p[1]]);
    });
    if (bounds.length) map.fitBounds(bounds, { padding: [12, 12], maxZoom: 18 });
    else map.setView([0, 0], 1);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
