/* Tables on the generated pages. No dependencies; without JavaScript every row
   shows and the filter form stays hidden.

   1. Filters: a form[data-filter-table] filters the rows of the table it names.
      Each select matches the rows' data-<name> attribute (a JSON list, like
      data-service, matches when the value is in it); status "active" means not
      finished yet (data-active); the overdue box keeps data-overdue rows. The
      choices live in the URL (action-items/?priority=P1&service=edge-lb), so a
      filtered list can be shared, and a reload or Back shows it again.
   2. Wide tables: a table wider than its column scrolls sideways. Such a
      scroller takes keyboard focus (arrow keys scroll it) and is named for
      screen readers; the stylesheet shades the edge that has more to show. */
(function () {
  "use strict";

  function matches(row, name, value) {
    if (!value) { return true; }
    if (name === "status" && value === "active") {
      return row.getAttribute("data-active") === "true";
    }
    var actual = row.getAttribute("data-" + name);
    if (actual === null) { return false; }
    if (actual.charAt(0) === "[") {
      try { return JSON.parse(actual).indexOf(value) >= 0; } catch (error) { return false; }
    }
    return actual === value;
  }

  function setupFilter(form) {
    var table = document.getElementById(form.getAttribute("data-filter-table"));
    if (!table || !table.tBodies.length) { return; }
    var rows = table.tBodies[0].rows;
    var count = form.querySelector("output");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[name]"));
    var overdue = form.elements.overdue;

    function readUrl() {
      var params = new URLSearchParams(window.location.search);
      selects.forEach(function (select) {
        var value = params.get(select.name) || "";
        var known = Array.prototype.some.call(select.options, function (option) {
          return option.value === value;
        });
        select.value = known ? value : "";
      });
      if (overdue) { overdue.checked = Boolean(params.get("overdue")); }
    }

    function writeUrl() {
      var params = new URLSearchParams(window.location.search);
      selects.forEach(function (select) {
        if (select.value) { params.set(select.name, select.value); } else { params.delete(select.name); }
      });
      if (overdue) {
        if (overdue.checked) { params.set("overdue", "1"); } else { params.delete("overdue"); }
      }
      var search = params.toString();
      var url = window.location.pathname + (search ? "?" + search : "") + window.location.hash;
      if (url !== window.location.pathname + window.location.search + window.location.hash) {
        window.history.replaceState(window.history.state, "", url);
      }
    }

    function apply() {
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var row = rows[i];
        var ok = selects.every(function (select) { return matches(row, select.name, select.value); }) &&
          (!overdue || !overdue.checked || row.getAttribute("data-overdue") === "true");
        row.hidden = !ok;
        if (ok) { shown++; }
      }
      if (count) { count.textContent = shown + " of " + rows.length + " shown"; }
    }

    readUrl();
    form.hidden = false;
    form.addEventListener("change", function () { writeUrl(); apply(); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    window.addEventListener("popstate", function () { readUrl(); apply(); });
    apply();
  }

  // Material wraps each content table in .md-typeset__scrollwrap; other themes may not.
  function scrollers() {
    var found = document.querySelectorAll(".md-typeset .md-typeset__scrollwrap");
    return found.length ? found : document.querySelectorAll(".md-typeset .pmkb-scroll");
  }

  function label(scroller) {
    var caption = scroller.querySelector("caption");
    if (caption && caption.textContent.trim()) { return caption.textContent.trim(); }
    var heading = null;
    for (var node = scroller; node && !heading; node = node.parentElement) {
      for (var prev = node.previousElementSibling; prev; prev = prev.previousElementSibling) {
        if (/^H[1-6]$/.test(prev.tagName)) { heading = prev; break; }
      }
    }
    var text = heading ? heading.textContent.replace(/\s+/g, " ").replace(/¶/g, "").trim() : "";
    return (text ? text + ": " : "") + "table, scrolls sideways";
  }

  function markScroller(scroller) {
    var wide = scroller.scrollWidth > scroller.clientWidth + 1;
    if (wide) {
      var left = scroller.scrollLeft > 1;
      var right = scroller.scrollLeft + scroller.clientWidth < scroller.scrollWidth - 1;
      scroller.setAttribute("data-pmkb-scroll", left && right ? "both" : left ? "left" : "right");
      if (!scroller.hasAttribute("tabindex")) {
        scroller.setAttribute("tabindex", "0");
        scroller.setAttribute("role", "region");
        scroller.setAttribute("aria-label", label(scroller));
        scroller.setAttribute("data-pmkb-focusable", "");
      }
    } else {
      scroller.removeAttribute("data-pmkb-scroll");
      if (scroller.hasAttribute("data-pmkb-focusable")) {
        ["tabindex", "role", "aria-label", "data-pmkb-focusable"].forEach(function (name) {
          scroller.removeAttribute(name);
        });
      }
    }
  }

  function setupScrollers() {
    var all = scrollers();
    var update = function () { Array.prototype.forEach.call(all, markScroller); };
    Array.prototype.forEach.call(all, function (scroller) {
      if (scroller.getAttribute("data-pmkb-watched")) { return; }
      scroller.setAttribute("data-pmkb-watched", "yes");
      scroller.addEventListener("scroll", function () { markScroller(scroller); }, { passive: true });
    });
    update();
    if (!setupScrollers.listening) {
      setupScrollers.listening = true;
      window.addEventListener("resize", function () {
        Array.prototype.forEach.call(scrollers(), markScroller);
      });
    }
  }

  function mount() {
    var forms = document.querySelectorAll("form[data-filter-table]");
    for (var i = 0; i < forms.length; i++) {
      if (!forms[i].getAttribute("data-pmkb-mounted")) {
        forms[i].setAttribute("data-pmkb-mounted", "yes");
        setupFilter(forms[i]);
      }
    }
    setupScrollers();
  }

  // Material wraps tables and announces each page on document$ (also with instant
  // navigation); subscribing after its own handlers, this runs once tables are wrapped.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(mount);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
})();
