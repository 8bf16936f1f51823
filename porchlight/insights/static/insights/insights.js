/* Dashboard and public summary: embed Vega-Lite charts and draw the reach map (no tile layer: offline). */
(function () {
  "use strict";
  var shapes = {};  // shapes URL -> Promise of GeoJSON, shared across htmx swaps

  function readJSON(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function escapeHTML(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function embedCharts(root) {
    if (typeof window.vegaEmbed !== "function") return;
    root.querySelectorAll("[data-vl-spec]").forEach(function (el) {
      if (el.dataset.rendered) return;
      el.dataset.rendered = "1";
      var spec = readJSON(el.dataset.vlSpec);
      if (!spec) return;
      // Content-Security-Policy: Vega's expressions run in its interpreter (no eval), and neither vega-embed
      // nor its tooltip injects a <style> (their rules are in insights.css).
      var options = { actions: false, renderer: "svg", defaultStyle: false, tooltip: { disableDefaultStyle: true } };
      if (window.vegaExpressionInterpreter) {
        options.ast = true;
        options.expr = window.vegaExpressionInterpreter;
      }
      window.vegaEmbed(el, spec, options).catch(function () {
        el.textContent = "";
      });
    });
  }

  function drawMaps(root) {
    if (typeof window.L === "undefined") return;
    root.querySelectorAll("[data-shapes-url]").forEach(function (el) {
      if (el.dataset.rendered) return;
      el.dataset.rendered = "1";
      var values = readJSON(el.dataset.mapValues) || {};
      var url = el.dataset.shapesUrl;
      shapes[url] = shapes[url] || fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); });
      shapes[url].then(function (geo) {
        var map = L.map(el, {
          attributionControl: false,
          scrollWheelZoom: false,
          dragging: !L.Browser.mobile,
          tap: false,
          zoomSnap: 0.25
        });
        var layer = L.geoJSON(geo, {
          style: function (f) {
            var v = values[f.id];
            return { fillColor: v ? v.c : "#f0f0f0", fillOpacity: 1, color: "#ffffff", weight: 0.6 };
          },
          onEachFeature: function (f, l) {
            var v = values[f.id];
            l.bindTooltip("<strong>" + escapeHTML(f.properties.name) + "</strong>" + (v ? "<br>" + escapeHTML(v.t) : ""), { sticky: true });
            l.on("mouseover", function () { l.setStyle({ weight: 2, color: "#1b1b1b" }); l.bringToFront(); });
            l.on("mouseout", function () { layer.resetStyle(l); });
          }
        }).addTo(map);
        var bounds = layer.getBounds();
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
        else map.setView([0, 0], 1);
      }).catch(function () { el.classList.add("pl-map--failed"); });
    });
  }

  // A dialogue's group colour (a style= attribute would break the Content-Security-Policy).
  function colourGroups(root) {
    root.querySelectorAll("[data-group-colour]").forEach(function (el) {
      el.style.setProperty("--pl-group", el.dataset.groupColour);
    });
  }

  function init(root) {
    embedCharts(root);
    drawMaps(root);
    colourGroups(root);
  }

  if (window.htmx) {
    window.htmx.onLoad(init);
  } else {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  }
})();
