// The public ranking: the map's colour choice, search, region and group filters, sorting.
// A static file, not an inline script, so the Content-Security-Policy can forbid inline code.
(function () {
  var figure = document.querySelector("figure.map");
  if (figure) {
    var choice = figure.querySelector(".map-colour");
    var show = function () {
      var wanted = figure.querySelector("input[name=map-colour]:checked").value;
      figure.querySelectorAll("[data-colour]").forEach(function (d) { d.hidden = d.dataset.colour !== wanted; });
    };
    choice.hidden = false;
    choice.addEventListener("change", show);
    show();
  }
  var search = document.querySelector("form[role=search]");
  if (search) { search.addEventListener("submit", function (event) { event.preventDefault(); }); }
  var table = document.querySelector("#ranking tbody");
  if (!table) { return; }
  var body = table;
  var rows = Array.prototype.slice.call(body.rows);
  var collator = new Intl.Collator("vi");
  function filter() {
    var q = document.getElementById("search").value.trim().toLocaleLowerCase("vi");
    var region = document.getElementById("region"), group = document.getElementById("group");
    rows.forEach(function (tr) {
      var ok = (!q || tr.dataset.name.toLocaleLowerCase("vi").indexOf(q) >= 0)
        && (!region || !region.value || tr.dataset.region === region.value)
        && (!group.value || tr.dataset.group === group.value);
      tr.hidden = !ok;
    });
  }
  ["search", "region", "group"].forEach(function (id) {
    var el = document.getElementById(id);
    if (el) { el.addEventListener("input", filter); }
  });
  document.querySelectorAll("button[data-sort]").forEach(function (button) {
    button.addEventListener("click", function () {
      var key = button.dataset.sort;
      rows.sort(function (a, b) {
        if (key === "name") { return collator.compare(a.dataset.name, b.dataset.name); }
        if (key === "index") { return Number(b.dataset.index) - Number(a.dataset.index); }
        return Number(a.dataset.rank) - Number(b.dataset.rank);
      });
      rows.forEach(function (tr) { body.appendChild(tr); });
    });
  });
})();
