// Choosing many units (cycles/unit_choices.html): a filter box, a "choose all" box per group
// that chooses the group's units shown, and how many are chosen. Progressive enhancement: the
// form is a plain list of checkboxes without this script, and the server checks what is sent.
// A static file, not an inline script, so the Content-Security-Policy can forbid inline code.
(function () {
  function lower(text) {
    return text.toLocaleLowerCase("vi").normalize("NFC").replace(/\s+/g, " ").trim();
  }
  function folded(text) {
    // lower case without tone marks or diacritics, đ as d: "Đại Từ" is found by "dai tu"
    return text.toLocaleLowerCase("vi").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/\s+/g, " ").trim();
  }
  document.querySelectorAll("[data-unit-choices]").forEach(function (box) {
    var filter = box.querySelector("[data-unit-filter]");
    var count = box.querySelector("[data-unit-count]");
    var groups = [];
    function counted() {
      var n = box.querySelectorAll("[data-unit-group] li input:checked").length;
      count.textContent = count.dataset.template.replace("{count}", n);
    }
    box.querySelectorAll("[data-unit-group]").forEach(function (group) {
      var all = group.querySelector("[data-check-all]");
      var items = Array.prototype.slice.call(group.querySelectorAll("li"));
      items.forEach(function (li) {
        li.dataset.folded = folded(li.textContent);
        li.dataset.lower = lower(li.textContent);
      });
      function shown() {
        return items.filter(function (li) { return !li.hidden; })
          .map(function (li) { return li.querySelector("input"); });
      }
      function sync() {
        var boxes = shown();
        var ticked = boxes.filter(function (b) { return b.checked; }).length;
        all.checked = boxes.length > 0 && ticked === boxes.length;
        all.indeterminate = ticked > 0 && ticked < boxes.length;
        all.disabled = boxes.length === 0;
      }
      all.addEventListener("change", function () {
        var value = all.checked;
        shown().forEach(function (b) { b.checked = value; });
        sync();
        counted();
      });
      group.addEventListener("change", function (event) {
        if (event.target !== all) { sync(); counted(); }
      });
      all.closest("[hidden]").hidden = false;
      groups.push({ group: group, items: items, sync: sync });
      sync();
    });
    if (filter) {
      filter.addEventListener("input", function () {
        // typed without tones: found with or without them ("dai tu": Đại Từ); typed with
        // them: found as typed ("Sở" is not "Sơn")
        var plain = folded(filter.value), typed = lower(filter.value);
        var key = plain === typed ? "folded" : "lower", q = plain === typed ? plain : typed;
        groups.forEach(function (g) {
          var any = false;
          g.items.forEach(function (li) {
            li.hidden = q !== "" && li.dataset[key].indexOf(q) < 0;
            any = any || !li.hidden;
          });
          g.group.hidden = !any;
          g.sync();
        });
      });
      // Enter in the filter box filters; it does not send the form
      filter.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); }
      });
      filter.closest("[hidden]").hidden = false;
    }
    counted();
  });
})();
