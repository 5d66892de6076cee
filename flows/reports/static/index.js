/* The program list of index.html (filters, sorting, paging, the view in the address, CSV of the view, the compare
   tray) and the reading of programs-data.js shared with compare.html (window.OUTCOMES_LIST).
   Data: window.OUTCOMES_INDEX from programs-data.js. Every text is set with textContent (never parsed as HTML).
   Real programs are shown by default; the synthetic demonstration set is only shown on its own. */
(function () {
  "use strict";
  var D = window.OUTCOMES_INDEX;
  if (!D) return;
  var col = {};
  D.columns.forEach(function (c, i) { col[c] = i; });
  var S = D.strings;
  var LABELS = { public_records: "public records", audited_report: "outcome report", curated_documented: "curated",
                 self_reported_survey: "self-reported", synthetic: "synthetic" };
  var MAX_COMPARE = 4;
  function get(r, i) { var v = r.length > i ? r[i] : null; return v === undefined ? null : v; }
  function kindOf(r) {
    var k = (D.kinds || [])[get(r, col.kind)] || [];
    var out = {};
    (D.kind_fields || []).forEach(function (f, i) { out[f] = k[i] === undefined ? null : k[i]; });
    return out;
  }
  function whyOf(r) {
    var code = (D.whys || [])[get(r, col.why)] || "", out = {};
    (D.why_fields || []).forEach(function (f, i) {
      var ch = code.charAt(i), j = ch && ch !== "." ? D.why_digits.indexOf(ch) : -1;
      out[f] = j >= 0 && D.reasons[j] ? { i: j, short: D.reasons[j][0], text: D.reasons[j][1] } : null;
    });
    return out;
  }
  function family(c) { return c ? c.split(".")[0] : ""; }
  var programs = D.rows.map(function (r) {
    var k = kindOf(r), pub = r[col.earnings_source] != null || get(r, col.origin_class) === "public_records";
    var x = { id: r[col.id], name: S[r[col.name]] || "", institution: S[get(r, col.institution)] || "",
              state: get(r, col.state) || "", country: k.country || "", origin_class: get(r, col.origin_class) || "",
              synthetic: get(r, col.synthetic) === 1, pathway: get(r, col.pathway) || "", cip: get(r, col.cip) || "",
              source: get(r, col.earnings_source), earnings_1y: get(r, col.earnings_1y), earnings_5y: get(r, col.earnings_5y),
              earnings_10y: get(r, col.earnings_10y), earnings_n: get(r, col.earnings_n), debt: get(r, col.debt),
              in_field_180d: get(r, col.in_field_180d), salary: get(r, col.salary), payback: get(r, col.payback),
              graduates: get(r, col.graduates), cost: get(r, col.cost), origin: k.origin || "",
              modality: k.modality || "", pacing: k.pacing || "", why: whyOf(r) };
    x.n = pub ? x.earnings_n : x.graduates;
    x.family = family(x.cip);
    x.where = x.state || x.country;
    x.text = (x.name + " " + x.institution).toLowerCase();
    return x;
  });
  var byId = {};
  programs.forEach(function (x) { byId[x.id] = x; });
  function usd(v) { return v === null || v === undefined ? "" : "$" + Math.round(v).toLocaleString("en-US"); }
  function pct(v) { return v === null || v === undefined ? "" : (v * 100).toFixed(1) + "%"; }
  function num(v, d) { return v === null || v === undefined ? "" : v.toFixed(d); }
  function int(v) { return v === null || v === undefined ? "" : Math.round(v).toLocaleString("en-US"); }
  function label(v) { return v ? String(v).replace(/_/g, " ") : ""; }
  var FORMAT = { earnings_1y: usd, earnings_5y: usd, earnings_10y: usd, debt: usd, salary: usd, cost: usd,
                 in_field_180d: pct, payback: function (v) { return num(v, 1); }, n: int, earnings_n: int, graduates: int };
  function readHashOf(hash) {
    var h = {};
    String(hash || "").replace(/^#/, "").split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i > 0) { try { h[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1).replace(/\+/g, " ")); } catch (e) { /* ignore */ } }
    });
    return h;
  }
  window.OUTCOMES_LIST = { data: D, programs: programs, byId: byId, labels: LABELS, format: FORMAT, label: label,
                           readHash: readHashOf, maxCompare: MAX_COMPARE };

  var table = document.getElementById("programs-table");
  if (!table) return;  // compare.html: the reading above is all it needs
  var PAGE = 50;
  var box = document.getElementById("filters");
  var text = document.getElementById("f-text"), origin = document.getElementById("f-origin");
  var pathway = document.getElementById("f-pathway"), cip = document.getElementById("f-cip"), state = document.getElementById("f-state");
  var modality = document.getElementById("f-modality"), pacing = document.getElementById("f-pacing");
  var sortSel = document.getElementById("f-sort"), dirSel = document.getElementById("f-dir"), sizeSel = document.getElementById("f-size");
  var count = document.getElementById("f-count"), sortState = document.getElementById("sort-state");
  var banner = document.getElementById("synthetic-banner"), more = document.getElementById("more");
  var notesBox = document.getElementById("why-notes-box"), notes = document.getElementById("why-notes");
  var tray = document.getElementById("tray"), trayText = document.getElementById("tray-text");
  var trayOpen = document.getElementById("tray-open"), trayClear = document.getElementById("tray-clear");
  var csvButton = document.getElementById("csv");
  var filterBox = document.getElementById("filter-box"), filterSummary = document.getElementById("filter-summary");
  var tbody = table.tBodies[0];
  if (D.dollar_year) document.getElementById("dollar-year").textContent = String(D.dollar_year);
  function options(select, values, lab) {
    values.forEach(function (v) {
      var o = document.createElement("option"); o.value = v; o.textContent = lab ? lab(v) : v; select.appendChild(o);
    });
  }
  function uniq(f) { var seen = {}; programs.forEach(function (x) { var v = f(x); if (v) seen[v] = 1; }); return Object.keys(seen).sort(); }
  options(pathway, uniq(function (x) { return x.pathway; }), label);
  options(cip, uniq(function (x) { return x.family; }), function (v) { return v + (D.cip_families[v] ? " " + D.cip_families[v] : ""); });
  options(state, uniq(function (x) { return x.state; }));
  options(state, uniq(function (x) { return x.state ? "" : x.country; }).map(function (c) { return "country:" + c; }),
          function (v) { return "Country: " + v.slice(8); });
  options(modality, uniq(function (x) { return x.modality; }), label);
  options(pacing, uniq(function (x) { return x.pacing; }), label);
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells).filter(function (h) { return h.getAttribute("data-key"); });
  heads.forEach(function (h) {
    var o = document.createElement("option"); o.value = h.getAttribute("data-key");
    o.textContent = h.getAttribute("data-label").charAt(0).toUpperCase() + h.getAttribute("data-label").slice(1); sortSel.appendChild(o);
  });
  box.hidden = false;
  document.getElementById("list-actions").hidden = false;
  var sortKey = "name", asc = true, size = PAGE, shown = PAGE, current = [], chosen = [];
  function isNumeric(key) { return heads.some(function (h) { return h.getAttribute("data-key") === key && h.className.indexOf("num") !== -1; }); }

  // --- rendering: a table on a laptop, cards on a phone (the same rows; CSS lays them out) ---
  var marks = {};
  function markOf(reason) {
    if (!(reason.i in marks)) {
      var n = Object.keys(marks).length, m = "";
      do { m = String.fromCharCode(97 + (n % 26)) + m; n = Math.floor(n / 26) - 1; } while (n >= 0);
      marks[reason.i] = m;
    }
    return marks[reason.i];
  }
  function figure(tr, x, key, head) {
    var c = document.createElement("td");
    c.className = "num"; c.setAttribute("data-field", key); c.setAttribute("data-label", head);
    var v = x[key];
    if (v !== null && v !== undefined) {
      c.setAttribute("data-value", String(v)); c.textContent = FORMAT[key](v);
    } else {
      var why = x.why[key === "n" ? "n" : key];
      var g = document.createElement("span"); g.className = "gap";
      if (why) {
        var m = markOf(why);
        g.title = why.short + ": " + why.text; g.textContent = why.short;
        var sup = document.createElement("sup"); sup.className = "mark"; sup.textContent = m; g.appendChild(sup);
        g.setAttribute("data-reason", why.text);
      } else { g.textContent = "n/a"; }
      c.appendChild(g);
    }
    tr.appendChild(c);
  }
  function render() {
    tbody.textContent = "";
    marks = {};
    var frag = document.createDocumentFragment();
    current.slice(0, shown).forEach(function (x) {
      var tr = document.createElement("tr");
      var pick = document.createElement("td"); pick.className = "pick";
      var cb = document.createElement("input"); cb.type = "checkbox"; cb.value = x.id; cb.className = "compare";
      cb.checked = chosen.indexOf(x.id) !== -1; cb.disabled = !cb.checked && chosen.length >= MAX_COMPARE;
      cb.setAttribute("aria-label", "Compare " + x.name + ", " + x.institution);
      var pl = document.createElement("label"); pl.appendChild(cb);
      var ps = document.createElement("span"); ps.className = "pick-text"; ps.textContent = "compare"; pl.appendChild(ps);
      pick.appendChild(pl); tr.appendChild(pick);
      var cell = document.createElement("td"); cell.className = "prog"; cell.setAttribute("data-field", "name");
      var a = document.createElement("a");
      a.href = "programs/" + encodeURIComponent(x.id) + ".html"; a.textContent = x.name; cell.appendChild(a);
      var inst = document.createElement("span"); inst.className = "inst"; inst.textContent = x.institution; cell.appendChild(inst);
      if (x.source) { var s = document.createElement("span"); s.className = "n"; s.textContent = "earnings: " + (D.sources[x.source] || x.source); cell.appendChild(s); }
      tr.appendChild(cell);
      var bc = document.createElement("td"); bc.setAttribute("data-field", "origin_class"); bc.setAttribute("data-label", "Evidence");
      var b = document.createElement("span"); b.className = "badge " + (x.synthetic ? "synthetic" : "real");
      b.textContent = LABELS[x.origin_class] || x.origin_class || "unknown"; bc.appendChild(b); tr.appendChild(bc);
      var wc = document.createElement("td"); wc.setAttribute("data-field", "where"); wc.setAttribute("data-label", "Where");
      wc.textContent = x.where || "not given"; tr.appendChild(wc);
      var cc = document.createElement("td"); cc.setAttribute("data-field", "pathway"); cc.setAttribute("data-label", "Credential");
      cc.textContent = label(x.pathway) || "not given"; tr.appendChild(cc);
      figure(tr, x, "earnings_1y", "Earnings 1 y"); figure(tr, x, "earnings_5y", "Earnings 5 y");
      figure(tr, x, "in_field_180d", "In field by day 180"); figure(tr, x, "salary", "Median salary");
      figure(tr, x, "payback", "Payback (years)"); figure(tr, x, "n", "n");
      frag.appendChild(tr);
    });
    tbody.appendChild(frag);
    notes.textContent = "";
    Object.keys(marks).sort(function (p, q) { return marks[p].length - marks[q].length || (marks[p] < marks[q] ? -1 : 1); }).forEach(function (i) {
      var li = document.createElement("li"), m = document.createElement("span");
      m.className = "mark"; m.textContent = marks[i]; li.appendChild(m);
      var t = document.createElement("span"); t.textContent = " " + D.reasons[i][0] + ": " + D.reasons[i][1]; li.appendChild(t);
      notes.appendChild(li);
    });
    notesBox.hidden = !notes.firstChild;
    more.hidden = current.length <= shown;
    more.textContent = "Show " + Math.min(size, current.length - shown).toLocaleString("en-US") + " more";
    var set = origin.value === "synthetic" ? "synthetic demonstration programs" : "real programs";
    var msg = current.length.toLocaleString("en-US") + " " + set + " match; " + Math.min(shown, current.length).toLocaleString("en-US") +
      " programs shown";
    if (modality.value || pacing.value) msg += " (modality and pacing are not published for public-records programs: only programs that publish them are listed)";
    count.textContent = msg + ".";
    csvButton.textContent = "Download CSV of this view (" + current.length.toLocaleString("en-US") + " programs)";
    var active = SELECTS.filter(function (p) { return p[1].value !== p[2]; }).length + (text.value.trim() ? 1 : 0);
    filterSummary.textContent = "Filters, sort and rows per page" + (active ? " (" + active + " filter" + (active > 1 ? "s" : "") + " on)" : "");
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
  function matches() {
    var q = text.value.trim().toLowerCase(), o = origin.value, p = pathway.value, c = cip.value, st = state.value;
    var md = modality.value, pc = pacing.value;
    return programs.filter(function (x) {
      if (o === "synthetic" ? !x.synthetic : (x.synthetic || (o !== "real" && x.origin_class !== o))) return false;
      if (q && x.text.indexOf(q) === -1) return false;
      if (p && x.pathway !== p) return false;
      if (c && x.family !== c) return false;
      if (st && (st.indexOf("country:") === 0 ? (x.state || x.country !== st.slice(8)) : x.state !== st)) return false;
      if (md && x.modality !== md) return false;
      if (pc && x.pacing !== pc) return false;
      return true;
    });
  }
  function apply(keepShown) {
    banner.hidden = origin.value !== "synthetic";
    current = matches();
    current.sort(compare);
    if (!keepShown) shown = size;
    heads.forEach(function (h) { h.setAttribute("aria-sort", h.getAttribute("data-key") === sortKey ? (asc ? "ascending" : "descending") : "none"); });
    var head = heads.filter(function (h) { return h.getAttribute("data-key") === sortKey; })[0];
    var numeric = isNumeric(sortKey);
    sortSel.value = sortKey; dirSel.value = asc ? "asc" : "desc";
    sortState.textContent = "Sorted by " + (head ? head.getAttribute("data-label") || head.textContent.trim() : sortKey) + ", " +
      (numeric ? (asc ? "lowest first" : "highest first") : (asc ? "A to Z" : "Z to A")) + " (programs without the figure last).";
    render();
  }
  heads.forEach(function (th) {
    var bt = document.createElement("button");
    bt.type = "button";
    while (th.firstChild) bt.appendChild(th.firstChild);
    th.appendChild(bt);
    bt.addEventListener("click", function () {
      var key = th.getAttribute("data-key");
      if (key === sortKey) asc = !asc; else { sortKey = key; asc = th.className.indexOf("num") === -1; }
      apply(); writeHash();
    });
  });

  // --- the compare tray ---
  function updateTray() {
    tray.hidden = chosen.length === 0;
    var names = chosen.map(function (id) { return byId[id] ? byId[id].name : id; });
    trayText.textContent = "Compare (" + chosen.length + "): " + names.join("; ") +
      (chosen.length < 2 ? ". Choose at least 2 programs." : chosen.length >= MAX_COMPARE ? ". At most " + MAX_COMPARE + " programs side by side." : ".");
    var synth = chosen.filter(function (id) { return byId[id] && byId[id].synthetic; }).length;
    if (synth && synth < chosen.length) trayText.textContent += " Warning: synthetic demonstration programs (not real) are mixed with real ones.";
    tray.classList.toggle("mixed", synth > 0 && synth < chosen.length);
    trayOpen.textContent = "Compare (" + chosen.length + ")";
    trayOpen.href = "compare.html#ids=" + chosen.map(encodeURIComponent).join(",");
    if (chosen.length < 2) trayOpen.setAttribute("aria-disabled", "true"); else trayOpen.removeAttribute("aria-disabled");
    Array.prototype.forEach.call(tbody.querySelectorAll("input.compare"), function (cb) {
      cb.checked = chosen.indexOf(cb.value) !== -1; cb.disabled = !cb.checked && chosen.length >= MAX_COMPARE;
    });
  }
  tbody.addEventListener("change", function (ev) {
    var cb = ev.target;
    if (!cb.classList || !cb.classList.contains("compare")) return;
    var i = chosen.indexOf(cb.value);
    if (cb.checked && i === -1 && chosen.length < MAX_COMPARE) chosen.push(cb.value);
    if (!cb.checked && i !== -1) chosen.splice(i, 1);
    updateTray(); writeHash();
  });
  trayOpen.addEventListener("click", function (ev) { if (chosen.length < 2) ev.preventDefault(); });
  trayClear.addEventListener("click", function () { chosen = []; updateTray(); writeHash(); });

  // --- the view in the address: #q=&origin=&pathway=&cip=&state=&modality=&pacing=&sort=&dir=&size=&cmp=a,b ---
  var SELECTS = [["origin", origin, "real"], ["pathway", pathway, ""], ["cip", cip, ""], ["state", state, ""],
                 ["modality", modality, ""], ["pacing", pacing, ""]];
  function readHash() {
    var h = readHashOf(location.hash);
    text.value = h.q || "";
    SELECTS.forEach(function (p) {
      var ok = h[p[0]] && Array.prototype.some.call(p[1].options, function (o) { return o.value === h[p[0]]; });
      p[1].value = ok ? h[p[0]] : p[2];
    });
    sortKey = "name"; asc = true;
    if (h.sort && heads.some(function (th) { return th.getAttribute("data-key") === h.sort; })) { sortKey = h.sort; asc = h.dir !== "desc"; }
    sizeSel.value = h.size && Array.prototype.some.call(sizeSel.options, function (o) { return o.value === h.size; }) ? h.size : String(PAGE);
    size = sizeSel.value === "all" ? Infinity : parseInt(sizeSel.value, 10);
    chosen = (h.cmp || "").split(",").filter(function (id, i, all) { return byId[id] && all.indexOf(id) === i; }).slice(0, MAX_COMPARE);
  }
  function writeHash() {
    var parts = [];
    if (text.value.trim()) parts.push("q=" + encodeURIComponent(text.value.trim()));
    SELECTS.forEach(function (p) { if (p[1].value !== p[2]) parts.push(p[0] + "=" + encodeURIComponent(p[1].value)); });
    if (sortKey !== "name" || !asc) parts.push("sort=" + sortKey, "dir=" + (asc ? "asc" : "desc"));
    if (sizeSel.value !== String(PAGE)) parts.push("size=" + sizeSel.value);
    if (chosen.length) parts.push("cmp=" + chosen.map(encodeURIComponent).join(","));
    if (window.history && history.replaceState) history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname);
  }

  // --- CSV of the view: every matching program, RFC 4180, text cells guarded against formula injection ---
  function csvCell(v) {
    if (v === null || v === undefined) return "";
    var s = String(v);
    if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function csvColumns() {
    var y = D.dollar_year ? "_" + D.dollar_year : "";
    return [
      ["program_id", function (x) { return x.id; }], ["program_name", function (x) { return x.name; }],
      ["institution_name", function (x) { return x.institution; }], ["credential", function (x) { return x.pathway; }],
      ["cip_code", function (x) { return x.cip; }], ["state_code", function (x) { return x.state; }],
      ["country_code", function (x) { return x.country; }], ["modality", function (x) { return x.modality; }],
      ["pacing", function (x) { return x.pacing; }], ["evidence_class", function (x) { return x.origin_class; }],
      ["data_origin", function (x) { return x.origin; }], ["is_synthetic", function (x) { return x.synthetic ? "true" : "false"; }],
      ["earnings_source", function (x) { return x.source; }],
      ["median_earnings_1y_usd" + y, function (x) { return x.earnings_1y; }], ["median_earnings_5y_usd" + y, function (x) { return x.earnings_5y; }],
      ["median_earnings_10y_usd" + y, function (x) { return x.earnings_10y; }], ["earnings_n", function (x) { return x.earnings_n; }],
      ["median_debt_usd" + y, function (x) { return x.debt; }], ["employed_in_field_180d_rate", function (x) { return x.in_field_180d; }],
      ["median_base_salary_usd", function (x) { return x.salary; }], ["graduates", function (x) { return x.graduates; }],
      ["total_cost_usd", function (x) { return x.cost; }], ["payback_years", function (x) { return x.payback; }],
      ["missing_reasons", function (x) {
        return (D.why_fields || []).filter(function (f) { return x.why[f]; })
          .map(function (f) { return f + ": " + x.why[f].short + " (" + x.why[f].text + ")"; }).join("; ");
      }],
      ["warehouse_snapshot_id", function () { return D.warehouse_snapshot_id; }]];
  }
  function viewName() {
    var parts = [origin.value];
    [pathway, cip, state, modality, pacing].forEach(function (s) { if (s.value) parts.push(s.value); });
    if (text.value.trim()) parts.push(text.value.trim());
    return parts.join("-").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80) || "all";
  }
  function csvText(rows) {
    var cols = csvColumns();
    var lines = [cols.map(function (c) { return c[0]; }).join(",")];
    rows.forEach(function (x) { lines.push(cols.map(function (c) { return csvCell(c[1](x)); }).join(",")); });
    return lines.join("\r\n") + "\r\n";
  }
  csvButton.addEventListener("click", function () {
    var blob = new Blob([csvText(current)], { type: "text/csv;charset=utf-8" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "programs-" + viewName() + "-" + D.warehouse_snapshot_id + ".csv";
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
  });

  more.addEventListener("click", function () { shown += size; render(); updateTray(); });
  text.addEventListener("input", function () { apply(); writeHash(); updateTray(); });
  SELECTS.forEach(function (p) { p[1].addEventListener("change", function () { apply(); writeHash(); updateTray(); }); });
  sortSel.addEventListener("change", function () { sortKey = sortSel.value; asc = !isNumeric(sortKey); apply(); writeHash(); updateTray(); });
  dirSel.addEventListener("change", function () { asc = dirSel.value === "asc"; apply(); writeHash(); updateTray(); });
  sizeSel.addEventListener("change", function () {
    size = sizeSel.value === "all" ? Infinity : parseInt(sizeSel.value, 10); apply(); writeHash(); updateTray();
  });
  window.addEventListener("hashchange", function () { readHash(); apply(); updateTray(); });
  readHash();
  apply();
  updateTray();
  // On a phone the filters fold away under their summary (the list comes first); on a laptop they stay open.
  if (window.matchMedia && window.matchMedia("(max-width: 40rem)").matches) filterBox.open = false;
})();
