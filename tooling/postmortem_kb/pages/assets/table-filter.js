/* Filters a table by its rows' data-* attributes. Without JavaScript the form
   stays hidden and every row shows. Query parameters preselect filters, e.g.
   action-items/?overdue=1 or ?status=open&owner=edge-team. No dependencies. */
(function () {
  "use strict";
  function setup(form) {
    var table = document.getElementById(form.getAttribute("data-filter-table"));
    if (!table || !table.tBodies.length) { return; }
    var rows = table.tBodies[0].rows;
    var count = form.querySelector("output");
    var params = new URLSearchParams(window.location.search);
    ["status", "owner"].forEach(function (name) {
      var value = params.get(name);
      var select = form.elements[name];
      if (value && select) { select.value = value; }
    });
    if (params.get("overdue") && form.elements.overdue) { form.elements.overdue.checked = true; }

    function apply() {
      var status = form.elements.status ? form.elements.status.value : "";
      var owner = form.elements.owner ? form.elements.owner.value : "";
      var overdue = form.elements.overdue ? form.elements.overdue.checked : false;
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var row = rows[i];
        var rowStatus = row.getAttribute("data-status");
        var statusOk = !status || rowStatus === status ||
          (status === "active" && (rowStatus === "open" || rowStatus === "in-progress"));
        var ok = statusOk &&
          (!owner || row.getAttribute("data-owner") === owner) &&
          (!overdue || row.getAttribute("data-overdue") === "true");
        row.hidden = !ok;
        if (ok) { shown++; }
      }
      if (count) { count.textContent = shown + " of " + rows.length + " shown"; }
    }
    form.hidden = false;
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    apply();
  }
  var forms = document.querySelectorAll("form[data-filter-table]");
  for (var i = 0; i < forms.length; i++) { setup(forms[i]); }
})();
