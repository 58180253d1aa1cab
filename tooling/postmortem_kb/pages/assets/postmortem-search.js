/*
 * Site search with Pagefind: the header search box and the search page.
 *
 * Pagefind (the index under pagefind/, written after each build) loads only
 * on first use, and then only the chunks a query needs. Every URL is
 * resolved from this script's own address, so the site works under any
 * sub-path and makes no request to another host.
 */
(() => {
  "use strict";

  // This file lives at <site>/assets/postmortem-kb/ (postmortem_kb/pages/assets in the package).
  const SITE_ROOT = new URL("../../", document.currentScript.src);

  // The search page's facets, as the build wrote them from the record's shape
  // (postmortem_kb.model.facets): each has a name (its data-pagefind-filter and
  // URL parameter), a label, a match and an order, plus the readable title of
  // each taxonomy term among the values ("titles"). The file sits beside the
  // site's other postmortem-kb assets, so it is found from this script's address.
  const FACETS_URL = new URL("../postmortem-kb/search-facets.json", document.currentScript.src);

  let facetsLoading = null;
  function loadFacets() {
    if (!facetsLoading) {
      facetsLoading = fetch(FACETS_URL).then((response) => {
        if (!response.ok) throw new Error(`${FACETS_URL}: ${response.status}`);
        return response.json();
      }).then((data) => {
        const titles = data.titles || {};
        return data.facets.map((facet) => ({ ...facet, titles: titles[facet.name] || {}, sort: sorter(facet.order) }));
      });
      facetsLoading.catch(() => {
        facetsLoading = null;
      });
    }
    return facetsLoading;
  }

  // "count": most frequent first; "descending": by value, last first (years);
  // a list: the values in that order (severities worst first), others after.
  function sorter(order) {
    if (order === "descending") return (a, b) => b[0].localeCompare(a[0]);
    if (Array.isArray(order)) {
      const rank = (value) => (order.includes(value) ? order.indexOf(value) : order.length);
      return (a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]);
    }
    return (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]);
  }

  const HEADER_RESULTS = 8;
  const PAGE_SIZE = 20;
  const FACET_SHOWN = 8;

  /* ------------------------------------------------------------ Pagefind */

  let loading = null;
  function pagefind() {
    if (!loading) {
      loading = import(new URL("pagefind/pagefind.js", SITE_ROOT).href).then(async (pf) => {
        // noWorker: Pagefind 1.5 would fetch a 40 KB worker script on the first search;
        // our queries are small enough for the main thread, and the first search stays light.
        await pf.options({ excerptLength: 26, noWorker: true });
        await pf.init();
        return pf;
      });
      // A failed load (offline, no index built) may be retried on next use.
      loading.catch(() => {
        loading = null;
      });
    }
    return loading;
  }

  // A postmortem has one severity, one status and one year ("any": two ticked
  // values mean either), but many causes, services... ("all": each ticked value
  // narrows the results further).
  function pagefindFilters(facets, selected, leaveOut) {
    const filters = {};
    for (const { name, match } of facets) {
      const values = selected[name];
      if (name === leaveOut || values.length === 0) continue;
      filters[name] = match === "any" ? { any: values } : { all: values };
    }
    return filters;
  }

  /* ---------------------------------------------------------- rendering */

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === false || value === null || value === undefined) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  // Pagefind's excerpt is text with <mark> around the matches. Keep exactly
  // that: every other tag becomes text, so page content can never inject
  // markup. DOMParser documents run no scripts and load nothing.
  function excerpt(html) {
    const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
    const out = document.createDocumentFragment();
    for (const node of parsed.body.firstChild ? parsed.body.firstChild.childNodes : []) {
      if (node.nodeName === "MARK") out.append(el("mark", { text: node.textContent }));
      else out.append(document.createTextNode(node.textContent));
    }
    return out;
  }

  // The same badge, and colours, as the generated pages (pmkb-sevN in postmortem-kb.css).
  function severityBadge(severity) {
    if (!severity) return null;
    const level = severity.toLowerCase().replace(/[^a-z0-9]/g, "");
    return el("span", { class: `pm-sev pmkb-badge pmkb-sev pmkb-${level}`, text: severity });
  }

  function resultMeta(data) {
    const meta = el("span", { class: "pm-hit__meta" });
    if (data.meta.date) meta.append(el("time", { datetime: data.meta.date, text: data.meta.date }));
    const badge = severityBadge(data.meta.severity);
    if (badge) meta.append(badge);
    return meta;
  }

  // A filter value: a taxonomy term shows its title, with its id small after it.
  function facetValue(facet, value) {
    const title = facet && facet.titles[value];
    if (!title) return el("span", { class: "pm-facet__value", text: value });
    return el(
      "span",
      { class: "pm-facet__value" },
      document.createTextNode(`${title} `),
      el("small", { class: "pm-facet__id", text: value }),
    );
  }

  function plural(n, one, other) {
    return `${n.toLocaleString()} ${n === 1 ? one : other}`;
  }

  function debounce(fn, ms) {
    let timer = null;
    return (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), ms);
    };
  }

  /* --------------------------------------------------- header search box */

  function mountHeader(box) {
    if (box.dataset.pmMounted) return;
    box.dataset.pmMounted = "yes";
    const toggle = document.getElementById("__search");
    const form = box.querySelector("form");
    const input = box.querySelector("[data-pm-search-input]");
    const meta = box.querySelector("[data-pm-search-meta]");
    const list = box.querySelector("[data-pm-search-list]");
    const all = box.querySelector("[data-pm-search-all]");
    const searchPage = new URL(form.getAttribute("action"), location.href);
    let sequence = 0;

    const open = () => {
      if (toggle && !toggle.checked) toggle.checked = true;
    };
    const close = () => {
      if (toggle) toggle.checked = false;
      input.blur();
    };
    const links = () => [...box.querySelectorAll(".md-search-result__link, [data-pm-search-all]")];

    async function run() {
      const query = input.value.trim();
      const mine = ++sequence;
      const target = new URL(searchPage);
      if (query) target.searchParams.set("q", query);
      all.href = target.href;
      if (!query) {
        list.replaceChildren();
        meta.textContent = "Type to search incidents";
        all.textContent = "All incidents and filters";
        return;
      }
      meta.textContent = "Searching…";
      let search;
      try {
        search = await (await pagefind()).search(query);
      } catch (error) {
        if (mine === sequence) meta.textContent = "Search is not available (no index was built)";
        throw error;
      }
      if (mine !== sequence) return;
      const shown = await Promise.all(search.results.slice(0, HEADER_RESULTS).map((r) => r.data()));
      if (mine !== sequence) return;
      const total = search.results.length;
      meta.textContent = total ? plural(total, "matching incident", "matching incidents") : "No matching incidents";
      all.textContent = total > shown.length ? `All ${total.toLocaleString()} results and filters` : "Filter these results";
      list.replaceChildren(
        ...shown.map((data) =>
          el(
            "li",
            { class: "md-search-result__item" },
            el(
              "a",
              { class: "md-search-result__link", href: data.url, tabindex: "-1" },
              el(
                "article",
                { class: "md-search-result__article md-typeset" },
                el("div", { class: "md-search-result__icon md-icon" }),
                el("h1", { text: data.meta.title || data.url }),
                el("p", { class: "pm-hit__line" }, resultMeta(data)),
                el("p", {}, excerpt(data.excerpt)),
              ),
            ),
          ),
        ),
      );
    }

    input.addEventListener("focus", () => {
      open();
      pagefind().catch(() => {});
    });
    input.addEventListener("input", debounce(() => run().catch(() => {}), 120));
    form.addEventListener("reset", () => {
      setTimeout(() => run().catch(() => {}), 0);
      input.focus();
    });
    if (toggle) {
      toggle.addEventListener("change", () => {
        if (toggle.checked) input.focus();
        else input.blur();
      });
    }
    box.addEventListener("keydown", (event) => {
      const items = links();
      const at = items.indexOf(document.activeElement);
      if (event.key === "Escape") {
        event.preventDefault();
        close();
      } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (items.length === 0) return;
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        const next = at + step;
        if (next < 0) input.focus();
        else items[Math.min(next, items.length - 1)].focus();
      }
    });
    // "/" opens the search box from anywhere, as in Material.
    document.addEventListener("keydown", (event) => {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      const active = document.activeElement;
      if (active && (active.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName))) return;
      event.preventDefault();
      open();
      input.focus();
    });
  }

  /* ------------------------------------------------------ the search page */

  function readUrl(facets) {
    const params = new URLSearchParams(location.search);
    const selected = {};
    for (const { name } of facets) selected[name] = [...new Set(params.getAll(name).filter(Boolean))];
    return { query: params.get("q") || "", selected };
  }

  function writeUrl(facets, state, push) {
    const params = new URLSearchParams();
    if (state.query.trim()) params.set("q", state.query.trim());
    for (const { name } of facets) for (const value of state.selected[name]) params.append(name, value);
    const search = params.toString();
    const url = `${location.pathname}${search ? `?${search}` : ""}${location.hash}`;
    if (url === `${location.pathname}${location.search}${location.hash}`) return;
    if (push) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
  }

  function mountPage(page) {
    if (page.dataset.pmMounted) return;
    page.dataset.pmMounted = "yes";
    loadFacets().then(
      (facets) => startPage(page, facets),
      // Without the facet list the page still searches, with no filters to offer.
      () => startPage(page, []),
    );
  }

  function startPage(page, facets) {
    const form = page.querySelector("[data-pm-page-form]");
    const input = page.querySelector("[data-pm-page-input]");
    const facetsBox = page.querySelector("[data-pm-facets]");
    const status = page.querySelector("[data-pm-status]");
    const list = page.querySelector("[data-pm-results]");
    const more = page.querySelector("[data-pm-more]");
    const clear = page.querySelector("[data-pm-clear]");
    const drawer = page.querySelector("[data-pm-drawer]");
    const chosenCount = page.querySelector("[data-pm-chosen]");
    const expanded = new Set();
    let state = readUrl(facets);
    let sequence = 0;
    let results = [];
    let shown = 0;

    input.value = state.query;

    async function counts(pf, term, search) {
      const out = {};
      for (const { name, match } of facets) {
        // A one-per-page facet counts as if its own values were not ticked,
        // so its other values show what choosing them as well would add.
        if (match === "any" && state.selected[name].length) {
          const without = await pf.search(term, { filters: pagefindFilters(facets, state.selected, name) });
          out[name] = without.filters[name] || {};
        } else {
          out[name] = search.filters[name] || {};
        }
      }
      return out;
    }

    function renderFacets(facetCounts) {
      const groups = [];
      for (const { name: facet, label, sort } of facets) {
        const chosen = state.selected[facet];
        const entries = Object.entries(facetCounts[facet]).filter(([value, n]) => n > 0 || chosen.includes(value));
        for (const value of chosen) if (!(value in facetCounts[facet])) entries.push([value, 0]);
        if (entries.length === 0) continue;
        entries.sort(sort);
        const limit = expanded.has(facet) ? entries.length : FACET_SHOWN;
        // Ticked values always stay visible, even beyond the limit.
        const visible = entries.filter(([value], i) => i < limit || chosen.includes(value));
        const items = visible.map(([value, n]) =>
          el(
            "li",
            { class: "pm-facet__item" },
            el(
              "label",
              {},
              el("input", {
                type: "checkbox",
                name: facet,
                value,
                checked: chosen.includes(value),
                "data-pm-facet": facet,
              }),
              facetValue(facets.find((f) => f.name === facet), value),
              el("span", { class: "pm-facet__count", text: n.toLocaleString() }),
            ),
          ),
        );
        const group = el(
          "fieldset",
          { class: "pm-facet", "data-facet": facet },
          el("legend", { text: label }),
          el("ul", {}, ...items),
        );
        if (entries.length > FACET_SHOWN) {
          group.append(
            el("button", {
              type: "button",
              class: "pm-facet__more",
              "data-pm-expand": facet,
              text: expanded.has(facet) ? "Show fewer" : `Show all ${entries.length}`,
            }),
          );
        }
        groups.push(group);
      }
      // Re-rendering must not lose a keyboard user's place in the list.
      const focused = facetsBox.contains(document.activeElement) ? document.activeElement : null;
      facetsBox.replaceChildren(...groups);
      if (focused && focused.dataset.pmFacet) {
        const again = [...facetsBox.querySelectorAll("[data-pm-facet]")].find(
          (box) => box.dataset.pmFacet === focused.dataset.pmFacet && box.value === focused.value,
        );
        if (again) again.focus();
      } else if (focused && focused.dataset.pmExpand) {
        const again = facetsBox.querySelector(`[data-pm-expand="${focused.dataset.pmExpand}"]`);
        if (again) again.focus();
      }
    }

    function describe(total) {
      const parts = [];
      if (state.query.trim()) parts.push(`matching “${state.query.trim()}”`);
      for (const { name, label, match, titles } of facets) {
        const chosen = state.selected[name].map((value) => titles[value] || value);
        if (chosen.length) parts.push(`${label.toLowerCase()}: ${chosen.join(match === "any" ? " or " : " and ")}`);
      }
      return `${plural(total, "incident", "incidents")}${parts.length ? ` ${parts.join(", ")}` : ""}`;
    }

    async function showMore(mine) {
      const batch = await Promise.all(results.slice(shown, shown + PAGE_SIZE).map((r) => r.data()));
      if (mine !== sequence) return;
      shown += batch.length;
      list.append(
        ...batch.map((data) =>
          el(
            "li",
            { class: "pm-hit" },
            el("a", { class: "pm-hit__title", href: data.url, text: data.meta.title || data.url }),
            el("div", {}, resultMeta(data)),
            el("p", { class: "pm-hit__excerpt" }, excerpt(data.excerpt)),
          ),
        ),
      );
      more.hidden = shown >= results.length;
      if (!more.hidden) more.textContent = `Show ${Math.min(PAGE_SIZE, results.length - shown)} more`;
    }

    async function run() {
      const mine = ++sequence;
      page.setAttribute("aria-busy", "true");
      const term = state.query.trim() || null;
      const filters = pagefindFilters(facets, state.selected);
      let pf;
      try {
        pf = await pagefind();
      } catch (error) {
        status.textContent = "Search is not available: the search index was not built.";
        page.removeAttribute("aria-busy");
        throw error;
      }
      // Pagefind counts filter values only once their chunks are loaded;
      // the header box never loads them, to keep its first search small.
      await pf.filters();
      // Without a query Pagefind lists every page the filters allow; newest first.
      const search = await pf.search(term, { filters, sort: term ? undefined : { date: "desc" } });
      const facetCounts = await counts(pf, term, search);
      if (mine !== sequence) return;
      results = search.results;
      shown = 0;
      list.replaceChildren();
      status.textContent = describe(results.length);
      clear.hidden = !Object.values(state.selected).some((v) => v.length) && !term;
      const ticked = Object.values(state.selected).reduce((n, v) => n + v.length, 0);
      if (chosenCount) chosenCount.textContent = ticked ? `(${ticked} chosen)` : "";
      renderFacets(facetCounts);
      await showMore(mine);
      if (mine === sequence) page.removeAttribute("aria-busy");
    }

    const rerun = () => run().catch(() => {});
    input.addEventListener(
      "input",
      debounce(() => {
        state.query = input.value;
        writeUrl(facets, state, false);
        rerun();
      }, 150),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      state.query = input.value;
      writeUrl(facets, state, true);
      rerun();
    });
    facetsBox.addEventListener("change", (event) => {
      const box = event.target.closest("[data-pm-facet]");
      if (!box) return;
      const chosen = state.selected[box.dataset.pmFacet];
      const at = chosen.indexOf(box.value);
      if (box.checked && at < 0) chosen.push(box.value);
      if (!box.checked && at >= 0) chosen.splice(at, 1);
      writeUrl(facets, state, true);
      rerun();
    });
    facetsBox.addEventListener("click", (event) => {
      const button = event.target.closest("[data-pm-expand]");
      if (!button) return;
      const facet = button.dataset.pmExpand;
      if (expanded.has(facet)) expanded.delete(facet);
      else expanded.add(facet);
      rerun();
    });
    more.addEventListener("click", () => showMore(sequence).catch(() => {}));
    // On a narrow screen the filters fold into a drawer below the result count, so the
    // first results are on the first screen; on a wide one they stand open beside them.
    if (drawer) {
      const wide = window.matchMedia("(min-width: 45em)");
      const fit = () => {
        drawer.open = wide.matches;
      };
      fit();
      wide.addEventListener("change", fit);
    }
    clear.addEventListener("click", () => {
      state = { query: "", selected: Object.fromEntries(facets.map(({ name }) => [name, []])) };
      input.value = "";
      writeUrl(facets, state, true);
      rerun();
    });
    window.addEventListener("popstate", () => {
      state = readUrl(facets);
      input.value = state.query;
      rerun();
    });
    rerun();
  }

  /* -------------------------------------------------------------- start */

  function mount() {
    for (const box of document.querySelectorAll("[data-pm-search]")) mountHeader(box);
    for (const page of document.querySelectorAll("[data-pm-search-page]")) mountPage(page);
  }
  // Material's instant navigation swaps pages without reloading scripts and
  // announces each new page on document$.
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(mount);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();
