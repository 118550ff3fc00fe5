// The service directory's map: pins from the page's JSON (only those the user may see).
// Without tiles (STROM_MAP_TILE_URL empty or unreachable) the pins still show, and the
// list below the map has every service.
(function () {
  "use strict";
  function start() {
    var element = document.getElementById("service-map");
    var data = document.getElementById("service-map-points");
    if (!element || !data || typeof L === "undefined") { return; }
    var points = JSON.parse(data.textContent);
    var map = L.map(element, { scrollWheelZoom: false });
    var tiles = element.dataset.tiles;
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 18, attribution: element.dataset.attribution }).addTo(map);
    }
    var bounds = [];
    points.forEach(function (p) {
      var marker = L.marker([p.lat, p.lng], { title: p.name, alt: p.name }).addTo(map);
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.name;
      var box = document.createElement("div");
      box.appendChild(link);
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(p.provider));
      marker.bindPopup(box);
      bounds.push([p.lat, p.lng]);
    });
    if (bounds.length) {
      map.fitBounds(bounds, { padding: [30, 30], maxZoom: 14 });
    } else {
      map.setView([56.95, 24.1], 6);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
