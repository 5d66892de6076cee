/* "People like me" form and results: the ranking page (people-like-me.html) and the "Your own answer" box of a
 * program page. Computes with peers.js on assets/peers-data.js; input rules are those of `outcomes roi`.
 * Every text from the data is set with textContent. Form values live in the URL hash. */
(function () {
  "use strict";
  if (typeof PEERS_DATA === "undefined" || typeof Peers === "undefined") return;
  var U = Peers.unpack(PEERS_DATA);
  var programInfo = {};
  U.programs.forEach(function (p) { programInfo[p.program_id] = p; });
  var A = U.assumptions;
  var TS = Peers.thresholds(A);

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function money(v) {
    return v === null || v === undefined ? "-" : "$" + v.toLocaleString("en-US", {maximumFractionDigits: 0, minimumFractionDigits: 0});
  }
  function pct(v) { return v === null || v === undefined ? "-" : (100 * v).toFixed(0) + "%"; }
  function prob(r, t) {
    var p = r["p_payback_within_" + t + "y"];
    if (p === null || p === undefined) return NO_QUARTILES;
    return pct(p) + " (" + (100 * r["p_payback_within_" + t + "y_lower"]).toFixed(0) + "-" +
      (100 * r["p_payback_within_" + t + "y_upper"]).toFixed(0) + ")";
  }
  var NO_QUARTILES = "n/a: no published quartiles";
  function payback(v) { return v === null || v === undefined ? "never" : v.toFixed(1) + " years"; }
  var LEVEL_TEXT = {degree_field_experience: "same degree, field and experience", degree_field: "same degree and field",
                    degree: "same degree", program: "all its graduates", all_completers: "all completers with earnings"};
  function peersText(r) {
    return "n=" + r.peer_group_size + ", " + (LEVEL_TEXT[r.similarity_level] || r.similarity_level);
  }
  function label(code) { return String(code).replace(/_/g, " "); }

  /* ---- input rules of `outcomes roi` (flows/stats/cli_roi.py) ---- */
  function parseNumber(name, value, lo, hi, rule) {
    var t = value.trim().replace(/,/g, "").replace(/_/g, "").replace(/^\$+/, "");
    if (t === "") return {value: null};
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return {error: name + " '" + value + "' is not a number"};
    var x = Number(t);
    if (!isFinite(x) || x < lo || x > hi) return {error: name + " " + value + " is out of range: " + rule};
    return {value: x};
  }
  function parseLoanRate(value) {
    var t = value.trim();
    if (t === "") return {value: null};
    var percent = t.slice(-1) === "%";
    var body = percent ? t.slice(0, -1).trim() : t;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(body)) {
      return {error: "Loan rate '" + value + "' is not a number: give a fraction (0.07) or a percentage with its sign (7%)"};
    }
    var x = Number(body);
    if (percent) x /= 100.0;
    if (!isFinite(x) || x < 0) return {error: "Loan rate " + value + " is out of range: a rate must be 0 or more"};
    if (x >= 1) {
      return {error: "Loan rate " + value + " would be " + +(100 * x).toPrecision(6) + "% a year: give the rate as a fraction (" +
        +(x / 100).toPrecision(6) + " for " + +x.toPrecision(6) + "%) or with a percent sign (" + +x.toPrecision(6) + "%)"};
    }
    return {value: x};
  }

  var FIELDS = ["deg", "field", "salary", "years", "pt", "loan", "max"];

  function readForm(form) {
    var g = function (n) { var e = form.elements[n]; return e ? e : null; };
    var errors = {}, profile = {};
    var cap = A.max_salary_usd, maxYears = A.peers.max_years_experience;
    if (g("deg").value) profile.prior_degree = g("deg").value;
    if (g("field").value) profile.prior_field = g("field").value;
    var s = parseNumber("Salary", g("salary").value, 0, cap,
      "a salary is 0 to " + cap.toLocaleString("en-US") + " USD a year");
    if (s.error) errors.salary = s.error; else if (s.value !== null) profile.prior_salary = s.value;
    var y = parseNumber("Years of experience", g("years").value, 0, maxYears, "years of experience are 0 to " + maxYears);
    if (y.error) errors.years = y.error; else if (y.value !== null) profile.years_experience = y.value;
    var m = parseNumber("Maximum tuition", g("max").value, 0, Infinity, "a tuition limit is 0 USD or more");
    if (m.error) errors.max = m.error; else if (m.value !== null) profile.max_tuition = m.value;
    var l = parseLoanRate(g("loan").value);
    if (l.error) errors.loan = l.error; else if (l.value !== null) profile.loan_rate = l.value;
    profile.part_time = g("pt").checked;
    return {profile: profile, errors: errors};
  }

  function showErrors(form, errors) {
    var first = null;
    ["salary", "years", "loan", "max"].forEach(function (n) {
      var input = form.elements[n], msg = form.querySelector("[data-error-for='" + n + "']");
      if (!input || !msg) return;
      if (errors[n]) {
        input.setAttribute("aria-invalid", "true");
        msg.textContent = errors[n];
        msg.hidden = false;
        if (!first) first = errors[n];
      } else {
        input.removeAttribute("aria-invalid");
        msg.textContent = "";
        msg.hidden = true;
      }
    });
    var live = form.querySelector(".plm-status");
    if (live) live.textContent = first ? "Please correct: " + first : "";
    return !first;
  }

  function hashState() {
    var out = {};
    var h = window.location.hash.replace(/^#/, "");
    if (!h) return out;
    h.split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i < 0) return;
      try { out[decodeURIComponent(kv.slice(0, i))] = decodeURIComponent(kv.slice(i + 1)); } catch (e) { /* ignore */ }
    });
    return out;
  }
  function writeHash(form, extra) {
    var parts = [];
    FIELDS.forEach(function (n) {
      var e = form.elements[n];
      if (!e) return;
      var v = e.type === "checkbox" ? (e.checked ? "1" : "") : e.value;
      if (v) parts.push(n + "=" + encodeURIComponent(v));
    });
    Object.keys(extra || {}).forEach(function (k) { if (extra[k]) parts.push(k + "=" + encodeURIComponent(extra[k])); });
    var h = parts.length ? "#" + parts.join("&") : "";
    if (window.location.hash !== h) {
      try { history.replaceState(null, "", h || window.location.pathname + window.location.search); }
      catch (e) { window.location.hash = h; }
    }
    return h;
  }
  function fillForm(form, st) {
    FIELDS.forEach(function (n) {
      var e = form.elements[n];
      if (!e || !(n in st)) return;
      if (e.type === "checkbox") e.checked = st[n] === "1"; else e.value = st[n];
    });
  }
  /* The inputs, defined once for the ranking page and the program pages' box (ids prefixed by px). */
  function buildFields(form, px) {
    var box = form.querySelector(".plm-fields-slot");
    if (!box) return;
    var wrap = el("div", {"class": "plm-fields"});
    function select(name, text, none) {
      var lab = el("label", {"for": px + name}, text + " ");
      var sel = el("select", {id: px + name, name: name});
      sel.appendChild(el("option", {value: ""}, none));
      lab.appendChild(sel);
      wrap.appendChild(lab);
    }
    function input(name, text, placeholder, help) {
      var div = el("div", {"class": "plm-field"});
      div.appendChild(el("label", {"for": px + name}, text));
      var ids = px + name + "-err" + (help ? " " + px + name + "-help" : "");
      div.appendChild(el("input", {id: px + name, name: name, type: "text", inputmode: name === "loan" ? "text" : "decimal",
                                   autocomplete: "off", placeholder: placeholder, "aria-describedby": ids}));
      if (help) div.appendChild(el("span", {"class": "note", id: px + name + "-help"}, help));
      var err = el("span", {"class": "plm-error", id: px + name + "-err", "data-error-for": name});
      err.hidden = true;
      div.appendChild(err);
      wrap.appendChild(div);
    }
    select("deg", "Highest degree before the program", "not stated (baseline: any degree)");
    select("field", "Field of that degree", "not stated");
    input("salary", "Your salary now (USD a year)", "e.g. 62,000", "Empty: the typical salary of your degree.");
    input("years", "Years of work experience", "0 to " + A.peers.max_years_experience);
    input("loan", "Your loan rate", "e.g. 7% or 0.07", "Empty: the rate of the program's country.");
    input("max", "Maximum tuition (USD)", "no limit");
    var check = el("label", {"class": "plm-check", "for": px + "pt"});
    check.appendChild(el("input", {id: px + "pt", name: "pt", type: "checkbox"}));
    check.appendChild(document.createTextNode(" Study part-time while working"));
    wrap.appendChild(check);
    box.parentNode.replaceChild(wrap, box);
  }

  function fillChoices(form) {
    [["deg", A.degrees], ["field", A.fields]].forEach(function (pair) {
      var sel = form.elements[pair[0]];
      if (!sel || sel.options.length > 1) return;
      Object.keys(pair[1]).forEach(function (code) { sel.appendChild(el("option", {value: code}, pair[1][code])); });
    });
  }

  function figure(dl, name, value, field) {
    dl.appendChild(el("dt", null, name));
    var dd = el("dd", field ? {"data-field": field} : null, value);
    dl.appendChild(dd);
  }

  /* ---- program page: this program's own answer ---- */
  function programBox(box) {
    var form = box.querySelector("form"), out = box.querySelector(".plm-result");
    var pid = box.getAttribute("data-program-id");
    var program = U.programs.filter(function (p) { return p.program_id === pid; });
    buildFields(form, "plm-");
    fillChoices(form);
    fillForm(form, hashState());
    var link = box.querySelector("a.plm-rank-link");
    function run() {
      var r = readForm(form);
      var ok = showErrors(form, r.errors);
      var h = writeHash(form);
      if (link) link.setAttribute("href", link.getAttribute("data-base") + h);
      if (!ok) return;
      out.textContent = "";
      if (!program.length) {
        out.appendChild(el("p", {"class": "missing", "data-field": "plm.reason"},
          "Not available for this program: it has no published peer figures (no graduate records and no published earnings " +
          "with a completer count, or no known tuition and length)."));
        return;
      }
      var peerRows = U.peers.filter(function (x) { return x.program_id === pid; });
      var rows = Peers.rank_rows(program, peerRows, r.profile, A);
      if (!rows.length) {
        var why = r.profile.part_time && program[0].pacing !== "part_time" && program[0].pacing !== "self_paced"
          ? "this program is not part-time or self-paced" : "its tuition is above your maximum";
        out.appendChild(el("p", {"class": "missing", "data-field": "plm.reason"}, "Left out by your choices: " + why + "."));
        return;
      }
      var row = rows[0];
      if (row.is_suppressed) {
        out.appendChild(el("p", {"class": "missing", "data-field": "plm.reason"}, "Withheld for your background: " + row.suppression_reason + "."));
        return;
      }
      out.appendChild(el("p", {"class": "plm-headline", "data-field": "plm.headline"},
        "For you: pays back in " + payback(row.expected_payback_years) + " after graduating (expected salary " +
        money(row.expected_salary_usd) + " against your " + money(row.counterfactual_salary_usd) + ")."));
      var dl = el("dl", {"class": "facts plm-figures"});
      figure(dl, "Peers", peersText(row), "plm.peers");
      figure(dl, "Total cost", money(row.total_cost_usd), "plm.total_cost_usd");
      figure(dl, "Expected salary", money(row.expected_salary_usd), "plm.expected_salary_usd");
      figure(dl, "Payback", payback(row.expected_payback_years), "plm.expected_payback_years");
      figure(dl, "NPV at 10 years", money(row.npv_10y_usd), "plm.npv_10y_usd");
      TS.forEach(function (t) {
        figure(dl, "Chance of paying back within " + t + " years (" + Math.round(100 * A.confidence) + "% interval)", prob(row, t),
               "plm.p_payback_within_" + t + "y");
      });
      out.appendChild(dl);
      out.appendChild(el("p", {"class": "note"}, "Peers' figures: " + row.peer_basis + ". " +
        (row.loan_rate_note ? row.loan_rate_note + ", so no loan interest is counted. " : "")));
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
    form.addEventListener("change", run);
    run();
  }

  /* ---- ranking page ---- */
  function rankingPage(root) {
    var form = root.querySelector("form"), body = root.querySelector("tbody"), status = root.querySelector(".plm-count");
    var supp = root.querySelector(".plm-suppressed"), more = root.querySelector(".plm-more");
    var ev = form.elements.ev, cred = form.elements.cred;
    buildFields(form, "");
    fillChoices(form);
    var creds = {};
    U.programs.forEach(function (p) { if (p.pathway) creds[p.pathway] = 1; });
    Object.keys(creds).sort().forEach(function (c) { cred.appendChild(el("option", {value: c}, label(c))); });
    var st = hashState();
    fillForm(form, st);
    if (st.ev) ev.value = st.ev;
    if (st.cred) cred.value = st.cred;
    var limit = 25;
    function keep(r) {
      var cls = r.data_origin_class;
      if (ev.value === "real" && cls === "synthetic") return false;
      if (ev.value !== "real" && ev.value !== "all" && cls !== ev.value) return false;
      if (cred.value && r.pathway !== cred.value) return false;
      return true;
    }
    function run() {
      var r = readForm(form);
      var ok = showErrors(form, r.errors);
      writeHash(form, {ev: ev.value === "real" ? "" : ev.value, cred: cred.value});
      if (!ok) return;
      var rows = Peers.rank_rows(U.programs, U.peers, r.profile, A).filter(keep);
      var shown = rows.filter(function (x) { return !x.is_suppressed; });
      var hidden = rows.filter(function (x) { return x.is_suppressed; });
      body.textContent = "";
      shown.slice(0, limit).forEach(function (x, i) {
        var tr = el("tr", {"data-program-id": x.program_id});
        tr.appendChild(el("td", {"class": "num", "data-label": "#"}, String(i + 1)));
        var th = el("th", {scope: "row", "data-label": "Program"});
        var a = el("a", {href: "programs/" + encodeURIComponent(x.program_id) + ".html"}, x.program_name || x.program_id);
        th.appendChild(a);
        var inst = programInfo[x.program_id] && programInfo[x.program_id].institution_name;
        th.appendChild(el("span", {"class": "n plm-sub"}, (inst ? inst + " · " : "") + label(x.pathway || "") + " · " +
                                                        label(x.data_origin_class || "")));
        tr.appendChild(th);
        var cells = [["Peers", peersText(x), "peers"], ["Total cost", money(x.total_cost_usd), "total_cost_usd"],
                     ["Expected salary", money(x.expected_salary_usd), "expected_salary_usd"],
                     ["Payback", payback(x.expected_payback_years), "expected_payback_years"],
                     ["NPV 10 y", money(x.npv_10y_usd), "npv_10y_usd"]];
        cells.forEach(function (c) {
          tr.appendChild(el("td", {"class": c[2] === "peers" ? "plm-peers" : "num", "data-label": c[0], "data-field": c[2]}, c[1]));
        });
        var td = el("td", {"class": "num plm-probs", "data-label": "Chance of paying back"});
        TS.forEach(function (t) {
          var line = el("span", {"class": "plm-prob"});
          line.appendChild(el("span", {"class": "n"}, t + " y: "));
          line.appendChild(el("span", {"data-field": "p_payback_within_" + t + "y"}, prob(x, t)));
          td.appendChild(line);
        });
        tr.appendChild(td);
        body.appendChild(tr);
      });
      more.hidden = shown.length <= limit;
      status.textContent = shown.length + " programs ranked for you" + (shown.length > limit ? " (first " + limit + " shown)" : "") +
        "; " + hidden.length + " withheld for your background.";
      supp.textContent = "";
      hidden.forEach(function (x) {
        var li = el("li", {"data-program-id": x.program_id});
        li.appendChild(el("a", {href: "programs/" + encodeURIComponent(x.program_id) + ".html"}, x.program_name || x.program_id));
        li.appendChild(el("span", {"class": "reason"}, " — " + x.suppression_reason));
        supp.appendChild(li);
      });
      root.querySelector(".plm-suppressed-count").textContent = String(hidden.length);
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); limit = 25; run(); });
    form.addEventListener("change", function () { limit = 25; run(); });
    more.addEventListener("click", function () { limit += 25; run(); });
    run();
  }

  function start() {
    var page = document.getElementById("plm-ranking");
    if (page) rankingPage(page);
    var boxes = document.querySelectorAll(".plm-box[data-program-id]");
    for (var i = 0; i < boxes.length; i++) programBox(boxes[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
