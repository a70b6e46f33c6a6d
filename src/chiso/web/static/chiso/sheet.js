// The sheet's values checked as they are typed: the server checks again on saving.
// A static file, not an inline script, so the Content-Security-Policy can forbid inline code.
(function () {
  var table = document.getElementById("sheet-table");
  var atMost = table ? table.dataset.atMost : "";
  document.querySelectorAll("input[data-max]").forEach(function (input) {
    input.addEventListener("input", function () {
      var text = input.value.trim().replace(",", ".");
      var top = parseFloat(input.dataset.max);
      var bad = input.dataset.max !== "" && text !== "" && !/^(KAD|NA)$/i.test(text)
        && (isNaN(Number(text)) || Number(text) < 0 || Number(text) > top);
      input.setCustomValidity(bad ? atMost + " " + input.dataset.max : "");
      input.reportValidity();
    });
  });
})();
