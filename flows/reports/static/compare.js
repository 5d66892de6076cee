/* compare.html: 2 to 4 programs side by side (compare.html#ids=a,b,c), read from programs-data.js through
   window.OUTCOMES_LIST (index.js). Every figure with its n, evidence class and source; every gap with its reason;
   a warning when the evidence differs and a loud one when a synthetic program is among real ones.
   Every text is set with textContent (never parsed as HTML). */
(function () {
  "use strict";
  var L = window.OUTCOMES_LIST;
  var table = document.getElementById("compare-table");
  var status = document.getElementById("cmp-status");
  if (!L || !table) return;
  var D = L.data, F = L.format;
  var h = L.readHash(location.hash);
  var asked = (h.ids || "").split(",").filter(function (id, i, all) { return id && all.indexOf(id) === i; });
  var unknown = asked.filter(function (id) { return !L.byId[id]; });
  var chosen = asked.filter(function (id) { return L.byId[id]; }).slice(0, L.maxCompare).map(function (id) { return L.byId[id]; });
  document.getElementById("cmp-back").href = "index.html" + (chosen.length ? "#cmp=" + chosen.map(function (x) { return encodeURIComponent(x.id); }).join(",") : "");
  if (D.dollar_year) document.getElementById("cmp-dollar-year").textContent = String(D.dollar_year);
  var msg = chosen.length + " program" + (chosen.length === 1 ? "" : "s") + " compared.";
  if (chosen.length < 2) msg = "Choose 2 to " + L.maxCompare + " programs on the program list (tick \u201ccompare\u201d), then open the comparison.";
  if (unknown.length) msg += " Not in this report set: " + unknown.join(", ") + ".";
  if (asked.length - unknown.length > L.maxCompare) msg += " Only the first " + L.maxCompare + " are shown.";
  status.textContent = msg;
  if (!chosen.length) return;

  function el(tag, cls, text) {
    var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e;
  }
  function gap(cell, why, fallback) {
    var g = el("span", "gap", why ? why.short : fallback || "not given");
    if (why) g.title = why.text;
    cell.appendChild(g);
    if (why) cell.appendChild(el("span", "reason", " " + why.text));
  }
  function nOf(x, key) {
    if (key === "in_field_180d" || key === "salary" || key === "cost" || key === "payback") return x.source ? null : x.graduates;
    return x.earnings_n;
  }
  function figure(key, nKey) {
    return function (cell, x) {
      var v = x[key];
      if (v === null || v === undefined) { gap(cell, x.why[key]); return; }
      cell.appendChild(el("data", "fig", F[key](v))).setAttribute("value", String(v));
      cell.lastChild.setAttribute("data-field", key);
      var n = nKey ? nOf(x, key) : null;
      if (n !== null && n !== undefined) cell.appendChild(el("span", "n", " (n " + F.n(n) + ")"));
    };
  }
  function textOf(f, missing) {
    return function (cell, x) { var t = f(x); if (t) cell.textContent = t; else gap(cell, null, missing); };
  }
  var ROWS = [
    ["Evidence class", function (cell, x) {
      cell.appendChild(el("span", "badge " + (x.synthetic ? "synthetic" : "real"), L.labels[x.origin_class] || x.origin_class || "unknown"));
      if (D.origin_classes[x.origin_class]) cell.appendChild(el("span", "reason", " " + D.origin_classes[x.origin_class]));
    }],
    ["Data origin", textOf(function (x) { return L.label(x.origin); }, "not given")],
    ["Earnings source", textOf(function (x) { return x.source ? D.sources[x.source] || x.source : ""; }, "none")],
    ["State or country", textOf(function (x) { return x.where; }, "not given")],
    ["Credential", textOf(function (x) { return L.label(x.pathway); }, "not given")],
    ["Field (CIP)", textOf(function (x) { return x.cip ? x.cip + (D.cip_families[x.family] ? " " + D.cip_families[x.family] : "") : ""; }, "not given")],
    ["Modality", textOf(function (x) { return L.label(x.modality); }, "not published")],
    ["Pacing", textOf(function (x) { return L.label(x.pacing); }, "not published")],
    ["Median earnings 1 year after graduation", figure("earnings_1y", true)],
    ["Median earnings 5 years after", figure("earnings_5y", true)],
    ["Median earnings 10 years after", figure("earnings_10y", true)],
    ["Median debt at completion", figure("debt", false)],
    ["Employed in field by day 180", figure("in_field_180d", true)],
    ["Median in-field salary", figure("salary", true)],
    ["Total cost", figure("cost", false)],
    ["Payback (years)", figure("payback", false)],
    ["Graduates or completers with earnings (n)", figure("n", false)],
    ["Program page", function (cell, x) {
      var a = el("a", "", "Full page"); a.href = "programs/" + encodeURIComponent(x.id) + ".html";
      a.setAttribute("aria-label", "Full page of " + x.name); cell.appendChild(a);
    }]
  ];
  var headRow = table.tHead.rows[0];
  chosen.forEach(function (x) {
    var th = el("th"); th.scope = "col"; th.setAttribute("data-id", x.id);
    var a = el("a", "", x.name); a.href = "programs/" + encodeURIComponent(x.id) + ".html"; th.appendChild(a);
    th.appendChild(el("span", "inst", x.institution));
    th.appendChild(el("span", "badge " + (x.synthetic ? "synthetic" : "real"), L.labels[x.origin_class] || x.origin_class || "unknown"));
    headRow.appendChild(th);
  });
  var body = table.tBodies[0];
  ROWS.forEach(function (r) {
    var tr = el("tr"), th = el("th", "measure", r[0]); th.scope = "row"; tr.appendChild(th);
    chosen.forEach(function (x) { var td = el("td"); td.setAttribute("data-id", x.id); r[1](td, x); tr.appendChild(td); });
    body.appendChild(tr);
  });
  table.hidden = false;
  var real = chosen.filter(function (x) { return !x.synthetic; }), synth = chosen.filter(function (x) { return x.synthetic; });
  var classes = [];
  var WORDS = { public_records: "public records", audited_report: "published outcome report", curated_documented: "curated records",
                self_reported_survey: "self-reported survey", synthetic: "synthetic demonstration data" };
  chosen.forEach(function (x) { var c = WORDS[x.origin_class] || x.origin_class; if (classes.indexOf(c) === -1) classes.push(c); });
  if (classes.length > 1) {
    var w = document.getElementById("cmp-warning");
    w.textContent = "Evidence differs: " + classes.join(" vs ") + ": not like for like. Public records count every graduate with earnings " +
      "records; outcome reports and surveys count the graduates who were followed or answered" +
      (synth.length ? "; synthetic programs are invented." : ".");
    w.hidden = false;
  }
  if (synth.length) {
    var s = document.getElementById("cmp-synthetic");
    s.textContent = real.length
      ? "Warning: " + synth.map(function (x) { return x.name; }).join(", ") + (synth.length > 1 ? " are" : " is") +
        " synthetic demonstration data (not real), shown beside real programs. Do not compare their figures."
      : "All chosen programs are synthetic demonstration programs (not real).";
    s.hidden = false;
  }
})();
