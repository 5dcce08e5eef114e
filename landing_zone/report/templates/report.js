/* lz report: filters and expand/collapse only; everything else is static HTML. */
(function () {
  "use strict";
  var all = function (selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); };
  all(".js-only").forEach(function (el) { el.hidden = false; });

  // Guardrail matrix: filter rows by level, behaviour and "enabled somewhere".
  var form = document.getElementById("matrix-filters");
  var rows = all("#matrix tbody tr");
  var count = document.getElementById("matrix-count");
  function checked(name) {
    return all("input[name=" + name + "]", form).filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
  }
  function filterMatrix() {
    var levels = checked("level"), behaviors = checked("behavior"), onlyEnabled = checked("enabled").length > 0;
    var shown = 0;
    rows.forEach(function (row) {
      var show = levels.indexOf(row.dataset.level) >= 0 && behaviors.indexOf(row.dataset.behavior) >= 0 &&
        (!onlyEnabled || row.dataset.enabled === "1");
      row.hidden = !show;
      if (show) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " controls shown";
  }
  form.addEventListener("change", filterMatrix);
  filterMatrix();

  // OU tree: expand or collapse everything.
  all("button[data-tree]").forEach(function (button) {
    button.addEventListener("click", function () {
      var open = button.dataset.tree === "open";
      all("#tree details").forEach(function (d) { d.open = open; });
    });
  });

  // Is it allowed?: find accounts by name or OU.
  var search = document.getElementById("account-filter");
  var accountRows = all("#allowed-table tbody tr");
  var accountCount = document.getElementById("account-count");
  search.addEventListener("input", function () {
    var needle = search.value.trim().toLowerCase(), shown = 0;
    accountRows.forEach(function (row) {
      var show = !needle || row.dataset.account.toLowerCase().indexOf(needle) >= 0 ||
        row.dataset.unit.toLowerCase().indexOf(needle) >= 0;
      row.hidden = !show;
      if (show) { shown += 1; }
    });
    accountCount.textContent = needle ? shown + " of " + accountRows.length + " accounts" : "";
  });

  // Printing shows the whole tree, then puts it back as it was.
  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = all("details:not([open])");
    closed.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (d) { d.open = false; });
    closed = [];
  });
}());
