/* The program list of index.html: filters (evidence, credential, field, state, name), sorting, paging.
   Data: window.OUTCOMES_INDEX from programs-data.js. Every text is set with textContent (never parsed as HTML).
   Real programs are shown by default; the synthetic demonstration set is only shown on its own. */
(function () {
  "use strict";
  var D = window.OUTCOMES_INDEX;
  var table = document.getElementById("programs-table");
  if (!D || !table) return;
  var col = {};
  D.columns.forEach(function (c, i) { col[c] = i; });
  var S = D.strings;
  var PAGE = 100;
  var LABELS = { public_records: "public records", audited_report: "outcome report", curated_documented: "curated",
                 self_reported_survey: "self-reported", synthetic: "synthetic" };
  function get(r, i) { return r.length > i ? r[i] : null; }
  var rows = D.rows.map(function (r) {
    r = D.columns.map(function (c, i) { return get(r, i); });
    var pub = r[col.earnings_source] != null;
    return { r: r, name: S[r[col.name]] || "", institution: S[r[col.institution]] || "", state: r[col.state] || "",
             origin_class: r[col.origin_class] || "", synthetic: r[col.synthetic] === 1, pathway: r[col.pathway] || "",
             cip: r[col.cip] || "", earnings_1y: r[col.earnings_1y], earnings_5y: r[col.earnings_5y], earnings_10y: r[col.earnings_10y],
             debt: r[col.debt], in_field_180d: r[col.in_field_180d], salary: r[col.salary], payback: r[col.payback],
             n: pub ? r[col.earnings_n] : r[col.graduates] };
  });
  rows.forEach(function (x) { x.text = (x.name + " " + x.institution).toLowerCase(); });
  var box = document.getElementById("filters");
  var text = document.getElementById("f-text"), origin = document.getElementById("f-origin");
  var pathway = document.getElementById("f-pathway"), cip = document.getElementById("f-cip"), state = document.getElementById("f-state");
  var count = document.getElementById("f-count"), sortState = document.getElementById("sort-state");
  var banner = document.getElementById("synthetic-banner"), more = document.getElementById("more");
  var tbody = table.tBodies[0];
  function options(select, values, label) {
    values.forEach(function (v) {
      var o = document.createElement("option"); o.value = v; o.textContent = label ? label(v) : v; select.appendChild(o);
    });
  }
  function uniq(f) { var seen = {}; rows.forEach(function (x) { var v = f(x); if (v) seen[v] = 1; }); return Object.keys(seen).sort(); }
  function family(c) { return c ? c.split(".")[0] : ""; }
  options(pathway, uniq(function (x) { return x.pathway; }), function (v) { return v.replace(/_/g, " "); });
  options(cip, uniq(function (x) { return family(x.cip); }), function (v) { return v + (D.cip_families[v] ? " " + D.cip_families[v] : ""); });
  options(state, uniq(function (x) { return x.state; }));
  box.hidden = false;
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var sortKey = "name", asc = true, shown = PAGE, current = [];
  function usd(v) { return v === null || v === undefined ? "" : "$" + Math.round(v).toLocaleString("en-US"); }
  function pct(v) { return v === null || v === undefined ? "" : (v * 100).toFixed(1) + "%"; }
  function num(v, d) { return v === null || v === undefined ? "" : v.toFixed(d); }
  function int(v) { return v === null || v === undefined ? "" : Math.round(v).toLocaleString("en-US"); }
  function td(tr, content, cls) {
    var c = document.createElement("td"); if (cls) c.className = cls;
    if (typeof content === "string") c.textContent = content; else c.appendChild(content);
    tr.appendChild(c); return c;
  }
  function render() {
    tbody.textContent = "";
    var frag = document.createDocumentFragment();
    current.slice(0, shown).forEach(function (x) {
      var r = x.r, tr = document.createElement("tr");
      var cell = document.createElement("span"), a = document.createElement("a");
      a.href = "programs/" + encodeURIComponent(r[col.id]) + ".html"; a.textContent = x.name; cell.appendChild(a);
      var src = r[col.earnings_source];
      if (src) { var s = document.createElement("span"); s.className = "n"; s.textContent = " · earnings: " + (D.sources[src] || src); cell.appendChild(s); }
      td(tr, cell); td(tr, x.institution); td(tr, x.state);
      var b = document.createElement("span"); b.className = "badge " + (x.synthetic ? "synthetic" : "real");
      b.textContent = LABELS[x.origin_class] || x.origin_class || "unknown"; td(tr, b);
      td(tr, usd(x.earnings_1y), "num"); td(tr, usd(x.earnings_5y), "num"); td(tr, usd(x.earnings_10y), "num");
      td(tr, usd(x.debt), "num"); td(tr, pct(x.in_field_180d), "num"); td(tr, usd(x.salary), "num");
      td(tr, num(x.payback, 1), "num"); td(tr, int(x.n), "num");
      frag.appendChild(tr);
    });
    tbody.appendChild(frag);
    more.hidden = current.length <= shown;
    more.textContent = "Show " + Math.min(PAGE, current.length - shown) + " more";
    var set = origin.value === "synthetic" ? "synthetic demonstration programs" : "real programs";
    count.textContent = current.length.toLocaleString("en-US") + " " + set + " match; " + Math.min(shown, current.length).toLocaleString("en-US") +
      " programs shown";
  }
  function compare(a, b) {
    var x = a[sortKey], y = b[sortKey];
    var nx = x === null || x === undefined || x === "", ny = y === null || y === undefined || y === "";
    if (nx && ny) return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    if (nx) return 1;
    if (ny) return -1;
    if (typeof x === "string") { x = x.toLowerCase(); y = y.toLowerCase(); }
    return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
  }
  function apply() {
    var q = text.value.trim().toLowerCase(), o = origin.value, p = pathway.value, c = cip.value, st = state.value;
    banner.hidden = o !== "synthetic";
    current = rows.filter(function (x) {
      if (o === "synthetic" ? !x.synthetic : (x.synthetic || (o !== "real" && x.origin_class !== o))) return false;
      if (q && x.text.indexOf(q) === -1) return false;
      if (p && x.pathway !== p) return false;
      if (c && family(x.cip) !== c) return false;
      if (st && x.state !== st) return false;
      return true;
    });
    current.sort(compare);
    shown = PAGE;
    heads.forEach(function (h) { h.setAttribute("aria-sort", h.getAttribute("data-key") === sortKey ? (asc ? "ascending" : "descending") : "none"); });
    var head = heads.filter(function (h) { return h.getAttribute("data-key") === sortKey; })[0];
    var numeric = head && head.className.indexOf("num") !== -1;
    sortState.textContent = "Sorted by " + (head ? head.getAttribute("data-label") || head.textContent.trim() : sortKey) + ", " +
      (numeric ? (asc ? "lowest first" : "highest first") : (asc ? "A to Z" : "Z to A")) + " (programs without the figure last).";
    render();
  }
  heads.forEach(function (th) {
    var bt = document.createElement("button");
    bt.type = "button"; bt.textContent = th.textContent; th.textContent = ""; th.appendChild(bt);
    bt.addEventListener("click", function () {
      var key = th.getAttribute("data-key");
      if (key === sortKey) asc = !asc; else { sortKey = key; asc = th.className.indexOf("num") === -1; }
      apply(); writeHash();
    });
  });
  // The view is kept in the address (#q=...&origin=...&pathway=...&cip=...&state=...&sort=...&dir=asc|desc):
  // a filtered, sorted list can be bookmarked or shared.
  function readHash() {
    var h = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i > 0) { try { h[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1).replace(/\+/g, " ")); } catch (e) { /* ignore */ } }
    });
    if (h.q) text.value = h.q;
    [["origin", origin], ["pathway", pathway], ["cip", cip], ["state", state]].forEach(function (p) {
      if (h[p[0]] && Array.prototype.some.call(p[1].options, function (o) { return o.value === h[p[0]]; })) p[1].value = h[p[0]];
    });
    if (h.sort && heads.some(function (th) { return th.getAttribute("data-key") === h.sort; })) { sortKey = h.sort; asc = h.dir !== "desc"; }
  }
  function writeHash() {
    var parts = [];
    if (text.value.trim()) parts.push("q=" + encodeURIComponent(text.value.trim()));
    [["origin", origin, "real"], ["pathway", pathway, ""], ["cip", cip, ""], ["state", state, ""]].forEach(function (p) {
      if (p[1].value !== p[2]) parts.push(p[0] + "=" + encodeURIComponent(p[1].value));
    });
    if (sortKey !== "name" || !asc) parts.push("sort=" + sortKey, "dir=" + (asc ? "asc" : "desc"));
    if (window.history && history.replaceState) history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname);
  }
  more.addEventListener("click", function () { shown += PAGE; render(); });
  text.addEventListener("input", function () { apply(); writeHash(); });
  [origin, pathway, cip, state].forEach(function (s) { s.addEventListener("change", function () { apply(); writeHash(); }); });
  readHash();
  apply();
})();
