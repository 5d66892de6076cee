/* "People like me" in the browser: the formulas of flows/stats/roi.py and flows/stats/peers.py, line by line.
 *
 * Pure functions on the published peer table (assets/peers-data.js: programs' cost facts, the rows of
 * out_peers__program_peer_groups, the assumptions). A test runs these functions under node on the same
 * inputs as `outcomes roi` and requires the same programs, order and numbers (docs/METHODOLOGY.md,
 * "People like me"). No network, no DOM here: the page's form is in people-like-me-ui.js.
 */
(function (root) {
  "use strict";

  var INF = Infinity;

  /* Python's round(): half to even. */
  function roundHalfEven(x) {
    var f = Math.floor(x), d = x - f;
    if (d > 0.5) return f + 1;
    if (d < 0.5) return f;
    return f % 2 === 0 ? f : f + 1;
  }

  /* roi.monthly_payment */
  function monthly_payment(principal, annual_rate, term_years) {
    if (principal < 0 || annual_rate < 0 || term_years <= 0) {
      throw new Error("monthly_payment: need principal >= 0, rate >= 0, term > 0");
    }
    var n = roundHalfEven(12 * term_years);
    var r = annual_rate / 12.0;
    if (principal === 0) return 0.0;
    if (r === 0) return principal / n;
    return principal * r / (1.0 - Math.pow(1.0 + r, -n));
  }

  /* roi.forgone_share */
  function forgone_share(pacing, roi) {
    var shares = roi.forgone_share;
    var key = pacing || "";
    return Number(Object.prototype.hasOwnProperty.call(shares, key) ? shares[key] : shares.full_time);
  }

  /* roi.pathway_funding: [stipend a year, tuition waived] */
  function pathway_funding(pathway, roi) {
    var all = roi.pathway_funding || {};
    var cfg = (Object.prototype.hasOwnProperty.call(all, pathway || "") ? all[pathway || ""] : {}) || {};
    return [Number(cfg.stipend_usd_per_year || 0.0), Boolean(cfg.tuition_waived || false)];
  }

  function text(v) {
    return v === null || v === undefined || (typeof v === "number" && isNaN(v)) ? "" : String(v).trim().toUpperCase();
  }

  /* roi.program_country */
  function program_country(country_code, state_code) {
    var cc = text(country_code);
    if (cc) return cc;
    return text(state_code) ? "US" : null;
  }

  /* roi.country_settings */
  function country_settings(country, roi) {
    if (!country) return null;
    var all = roi.countries || {};
    return Object.prototype.hasOwnProperty.call(all, country) ? all[country] : null;
  }

  /* roi.country_loan_rate: [rate or null, reason or null] */
  function country_loan_rate(country, roi) {
    var cfg = country_settings(country, roi);
    if (cfg === null || cfg === undefined) {
      return [null, !country ? "no loan rate: country unknown" : "no loan rate for this country (" + country + ")"];
    }
    if (cfg.loan_rate !== null && cfg.loan_rate !== undefined) return [Number(cfg.loan_rate), null];
    if (country === "US") return [Number(roi.loan_rate), null];
    return [null, "no loan rate for this country (" + country + ")"];
  }

  /* roi.program_costs -> {tuition_fees_usd, living_relocation_usd, forgone_earnings_usd, financed_usd,
   * loan_interest_usd, monthly_loan_payment_usd, stipend_usd, tuition_waived, total_usd} */
  function program_costs(tuition_fees_usd, duration_months, modality, pacing, counterfactual_usd, roi, loan_rate,
                         pathway, has_loan_rate) {
    if (has_loan_rate === undefined) has_loan_rate = true;
    var years = Number(duration_months) / 12.0;
    var funding = pathway_funding(pathway, roi);
    var stipend_per_year = funding[0], waived = funding[1];
    var tuition = waived ? 0.0 : Number(tuition_fees_usd);
    var living = 0.0;
    if (pacing === "full_time" && (modality === "in_person" || modality === "hybrid")) {
      living = Number(roi.relocation_usd) + Number(roi.extra_living_usd_per_year) * years;
    }
    var forgone = Math.max(0.0, Number(counterfactual_usd) * forgone_share(pacing, roi) - stipend_per_year) * years;
    var stipend = stipend_per_year * years;
    var c = {tuition_fees_usd: tuition, living_relocation_usd: living, forgone_earnings_usd: forgone,
             financed_usd: null, loan_interest_usd: null, monthly_loan_payment_usd: null,
             stipend_usd: stipend, tuition_waived: waived};
    if (has_loan_rate) {
      var rate = Number(loan_rate === null || loan_rate === undefined ? roi.loan_rate : loan_rate);
      var financed = tuition * Number(roi.financed_share);
      var term = Number(roi.loan_term_years);
      var payment = monthly_payment(financed, rate, term);
      var interest = payment * roundHalfEven(12 * term) - financed;
      c.financed_usd = financed; c.loan_interest_usd = interest; c.monthly_loan_payment_usd = payment;
    }
    c.total_usd = c.tuition_fees_usd + c.living_relocation_usd + c.forgone_earnings_usd + (c.loan_interest_usd || 0.0);
    return c;
  }

  /* roi.payback_years (scalar) */
  function payback_years(total_cost_usd, annual_gain_usd) {
    if (isNaN(total_cost_usd) || isNaN(annual_gain_usd)) return NaN;
    return annual_gain_usd > 0 ? total_cost_usd / annual_gain_usd : INF;
  }

  /* roi.npv */
  function npv(horizon_years, study_years, upfront_cost_usd, annual_gain_usd, annual_loan_interest_usd, loan_term_years,
               discount_rate) {
    var total = 0.0;
    var d = Number(study_years);
    for (var t = 0; t < Math.trunc(horizon_years); t++) {
      var s = Math.min(Math.max(d - t, 0.0), 1.0);
      var w = Math.max(0.0, Math.min(t + 1.0, d + loan_term_years) - Math.max(t, d));
      var flow = annual_gain_usd * (1.0 - s) - annual_loan_interest_usd * w;
      if (d > 0) {
        flow -= upfront_cost_usd / d * s;
      } else if (t === 0) {
        flow -= upfront_cost_usd;
      }
      total += flow / Math.pow(1.0 + discount_rate, t);
    }
    return total;
  }

  /* roi.npv_from_costs */
  function npv_from_costs(costs, horizon_years, study_years, annual_gain_usd, roi) {
    var term = Number(roi.loan_term_years);
    var upfront = costs.tuition_fees_usd + costs.living_relocation_usd + costs.forgone_earnings_usd;
    var r = Number(roi.discount_rate);
    return npv(horizon_years, study_years, upfront, annual_gain_usd, (costs.loan_interest_usd || 0.0) / term, term, r);
  }

  function finite_or_none(x) {
    return x === null || x === undefined || !isFinite(x) ? null : Number(x);
  }

  /* intervals.wilson_interval (scalar): [lower, upper] */
  function wilson_interval(successes, n, z) {
    if (successes < 0 || n < 0 || successes > n) throw new Error("wilson_interval: need 0 <= successes <= n");
    if (!(n > 0)) return [NaN, NaN];
    var p = successes / n;
    var z2 = z * z;
    var denom = 1.0 + z2 / n;
    var centre = p + z2 / (2 * n);
    var half = z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    var lo = Math.min(Math.max((centre - half) / denom, 0.0), 1.0);
    var hi = Math.min(Math.max((centre + half) / denom, 0.0), 1.0);
    return [Math.min(lo, p), Math.max(hi, p)];
  }

  /* peers.payback_interval: [p, lower, upper] */
  function payback_interval(in_field, n, reporters, repaid, z) {
    if (n <= 0 || reporters <= 0) return [NaN, NaN, NaN];
    var q = in_field / n, r = repaid / reporters;
    var p = q * r;
    var v = r * r * q * (1 - q) / n + q * q * r * (1 - r) / reporters;
    var n_eff;
    if (v > 0 && 0 < p && p < 1) {
      n_eff = Math.min(n, p * (1 - p) / v);
    } else {
      n_eff = reporters >= in_field ? n : reporters;
    }
    var b = wilson_interval(p * n_eff, n_eff, z);
    return [p, b[0], b[1]];
  }

  /* peers.experience_band */
  function experience_band(years, edges) {
    if (years === null || years === undefined || (typeof years === "number" && isNaN(years))) return null;
    for (var i = 0; i + 1 < edges.length; i++) {
      if (edges[i] <= years && years < edges[i + 1]) return edges[i] + "-" + (edges[i + 1] - 1);
    }
    return edges[edges.length - 1] + "+";
  }

  /* peers.share_at_least: S(x) from the published quartiles, or null */
  function share_at_least(x, p25, median, p75) {
    if (p25 === null || median === null || p75 === null || p25 === undefined || median === undefined || p75 === undefined) {
      return null;
    }
    var a = Number(p25), b = Number(median), c = Number(p75);
    if (!(a <= b && b <= c)) throw new Error("quartiles out of order");
    if (a === c) return x <= a ? 1.0 : 0.0;
    var lower = b > a ? 0.25 / (b - a) : 0.25 / (c - b);
    var upper = c > b ? 0.25 / (c - b) : 0.25 / (b - a);
    var f;
    if (x <= a) {
      f = 0.25 - lower * (a - x);
    } else if (x <= b) {
      f = 0.25 + 0.25 * (x - a) / (b - a);
    } else if (x <= c) {
      f = 0.5 + 0.25 * (x - b) / (c - b);
    } else {
      f = 0.75 + upper * (x - c);
    }
    return 1.0 - Math.min(1.0, Math.max(0.0, f));
  }

  var ANY = "any", PUBLIC_LEVEL = "all_completers";
  var LEVEL_KEYS = {degree_field_experience: ["degree", "field", "band"], degree_field: ["degree", "field"],
                    degree: ["degree"], program: []};

  function given(v) {
    return v !== null && v !== undefined && !(typeof v === "number" && isNaN(v));
  }

  /* peers.person_keys */
  function person_keys(profile, A) {
    var deg = profile.prior_degree;
    var groups = A.peers.degree_groups;
    return {degree: deg ? (Object.prototype.hasOwnProperty.call(groups, deg) ? groups[deg] : null) : null,
            field: given(profile.prior_field) ? profile.prior_field : null,
            band: experience_band(given(profile.years_experience) ? profile.years_experience : null, A.peers.experience_band_edges)};
  }

  /* peers.counterfactual */
  function counterfactual(profile, A) {
    var baseline = A.roi.baseline_salary_usd;
    var deg = profile.prior_degree, cf = profile.prior_salary;
    if (!given(cf)) {
      cf = deg ? Number(Object.prototype.hasOwnProperty.call(baseline, deg) ? baseline[deg] : baseline.unknown)
               : Number(baseline.unknown);
    }
    return Number(cf);
  }

  function rowKey(level, degree, field, band) {
    return [level, degree, field, band].join("\u0001");
  }

  /* peers.choose_level: [level, row, last suppressed row seen] */
  function choose_level(rows, person, levels) {
    var seen = null;
    var all = levels.concat([PUBLIC_LEVEL]);
    for (var i = 0; i < all.length; i++) {
      var level = all[i];
      var keys = LEVEL_KEYS[level] || [];
      var skip = false;
      for (var j = 0; j < keys.length; j++) if (person[keys[j]] === null) skip = true;
      if (skip) continue;
      var parts = ["degree", "field", "band"].map(function (k) {
        return keys.indexOf(k) >= 0 ? String(person[k]) : ANY;
      });
      var row = rows[rowKey(level, parts[0], parts[1], parts[2])];
      if (row === undefined) continue;
      if (!row.is_suppressed) return [level, row, seen];
      seen = row;
    }
    return [null, null, seen];
  }

  function thresholdsOf(A) {
    return (A.roi.payback_thresholds_years || [3, 5, 10]).map(function (t) { return Math.trunc(t); });
  }

  /* peers.rank_rows: the ranking, as a list of row objects with the keys of `outcomes roi --json` */
  function rank_rows(programs, peer_rows, profile, A) {
    var k = A.min_cell_size;
    var roi = A.roi, peers_cfg = A.peers;
    var thresholds = thresholdsOf(A);
    var confidence = Number(A.confidence);
    var z = A.z;
    var cf = counterfactual(profile, A);
    var part_time = Boolean(profile.part_time);
    var own_loan_rate = given(profile.loan_rate) ? profile.loan_rate : null;
    var max_tuition = given(profile.max_tuition) ? profile.max_tuition : null;
    var person = person_keys(profile, A);
    var by_program = {};
    peer_rows.forEach(function (r) {
      var m = by_program[r.program_id] || (by_program[r.program_id] = {});
      m[rowKey(r.similarity_level, r.degree_group, r.peer_prior_field, r.experience_band)] = r;
    });
    var out = [];
    programs.forEach(function (p) {
      if (!by_program[p.program_id] || !given(p.tuition_fees_usd) || !given(p.duration_months)) return;
      if (part_time && p.pacing !== "part_time" && p.pacing !== "self_paced") return;
      if (max_tuition !== null && Number(p.tuition_fees_usd) > Number(max_tuition)) return;
      var choice = choose_level(by_program[p.program_id], person, peers_cfg.levels);
      var level = choice[0], chosen = choice[1], seen = choice[2];
      var country = program_country(p.country_code, p.state_code);
      var waived = pathway_funding(p.pathway, roi)[1];
      var row = {program_id: p.program_id, program_name: p.program_name, pathway: p.pathway, modality: p.modality,
                 pacing: p.pacing, country_code: country, data_origin_class: p.data_origin_class,
                 tuition_fees_usd: Number(p.tuition_fees_usd), counterfactual_salary_usd: cf, tuition_waived: waived,
                 confidence: confidence, rank: null, similarity_level: null, peer_basis: null, peer_group_size: null,
                 peers_in_field_count: null, peers_salary_reported_count: null, peers_outcome_unknown_count: null,
                 in_field_share: null, peer_salary_p25_usd: null, median_peer_salary_usd: null, peer_salary_p75_usd: null,
                 expected_salary_usd: null, stipend_usd: null, total_cost_usd: null, loan_rate: null, loan_rate_note: null,
                 expected_payback_years: null, npv_10y_usd: null, npv_20y_usd: null};
      thresholds.forEach(function (t) {
        row["p_payback_within_" + t + "y"] = null;
        row["p_payback_within_" + t + "y_lower"] = null;
        row["p_payback_within_" + t + "y_upper"] = null;
      });
      if (chosen === null) {
        var reason = seen !== null && seen.suppression_reason ? seen.suppression_reason : null;
        row.is_suppressed = true;
        row.suppression_reason = "no published peer group at any similarity level (k=" + k + ")" +
          (reason ? "; last tried: " + reason : "");
        out.push(row);
        return;
      }
      var n = Math.trunc(chosen.peer_group_size), reporters = Math.trunc(chosen.peers_salary_reported_count);
      var pub = level === PUBLIC_LEVEL;
      var m = pub ? n : Math.trunc(chosen.peers_in_field_count);
      var loan_rate, loan_note;
      if (own_loan_rate !== null) {
        loan_rate = Number(own_loan_rate); loan_note = null;
      } else {
        var lr = country_loan_rate(country, roi);
        loan_rate = lr[0]; loan_note = lr[1];
      }
      var pacing = part_time && p.pacing === "full_time" ? "part_time" : p.pacing;
      var costs = program_costs(p.tuition_fees_usd, p.duration_months, p.modality, pacing, cf, roi, loan_rate,
                                p.pathway, loan_rate !== null);
      var q = m / n;
      var centre = given(chosen.mean_peer_salary_usd) ? chosen.mean_peer_salary_usd : chosen.median_peer_salary_usd;
      var expected = (1 - q) * cf + q * Number(centre);
      var mean_gain = expected - cf;
      var years = Number(p.duration_months) / 12.0;
      row.similarity_level = level; row.peer_basis = chosen.peer_basis; row.peer_group_size = n;
      row.peers_in_field_count = pub ? null : m; row.peers_salary_reported_count = reporters;
      row.peers_outcome_unknown_count = given(chosen.peers_outcome_unknown_count) ? chosen.peers_outcome_unknown_count : null;
      row.in_field_share = q;
      row.median_peer_salary_usd = given(chosen.median_peer_salary_usd) ? chosen.median_peer_salary_usd : null;
      row.peer_salary_p25_usd = given(chosen.peer_salary_p25_usd) ? chosen.peer_salary_p25_usd : null;
      row.peer_salary_p75_usd = given(chosen.peer_salary_p75_usd) ? chosen.peer_salary_p75_usd : null;
      row.expected_salary_usd = expected; row.stipend_usd = costs.stipend_usd; row.total_cost_usd = costs.total_usd;
      row.loan_rate = loan_rate; row.loan_rate_note = loan_note;
      row.expected_payback_years = finite_or_none(payback_years(costs.total_usd, mean_gain));
      row.npv_10y_usd = npv_from_costs(costs, 10, years, mean_gain, roi);
      row.npv_20y_usd = npv_from_costs(costs, 20, years, mean_gain, roi);
      row.is_suppressed = false; row.suppression_reason = null;
      thresholds.forEach(function (t) {
        var s = share_at_least(cf + costs.total_usd / t, row.peer_salary_p25_usd, row.median_peer_salary_usd,
                               row.peer_salary_p75_usd);
        if (s === null) return;
        var b = payback_interval(m, n, reporters, s * reporters, z);
        row["p_payback_within_" + t + "y"] = b[0];
        row["p_payback_within_" + t + "y_lower"] = b[1];
        row["p_payback_within_" + t + "y_upper"] = b[2];
      });
      out.push(row);
    });
    var key = function (r) {
      return [r.is_suppressed ? 1 : 0, r.expected_payback_years === null ? INF : r.expected_payback_years,
              r.npv_10y_usd === null ? -INF : r.npv_10y_usd];
    };
    var indexed = out.map(function (r, i) { return [key(r), i, r]; });
    indexed.sort(function (x, y) {
      var a = x[0], b = y[0];
      if (a[0] !== b[0]) return a[0] - b[0];
      if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
      if (a[2] !== b[2]) return a[2] > b[2] ? -1 : 1;
      if (x[2].program_id !== y[2].program_id) return x[2].program_id < y[2].program_id ? -1 : 1;
      return x[1] - y[1];
    });
    return indexed.map(function (x, i) {
      x[2].rank = x[2].is_suppressed ? null : i + 1;
      return x[2];
    });
  }

  /* The compact data of assets/peers-data.js as row objects. */
  function unpack(data) {
    var P = data.program_columns, R = data.peer_columns;
    var programs = data.programs.map(function (v) {
      var o = {};
      P.forEach(function (c, i) { o[c] = v[i]; });
      return o;
    });
    var rows = data.peers.map(function (v) {
      var o = {};
      R.forEach(function (c, i) { o[c] = v[i]; });
      o.program_id = programs[o.program].program_id;
      delete o.program;
      o.similarity_level = data.levels[o.similarity_level];
      o.suppression_reason = o.suppression_reason === null ? null : data.texts[o.suppression_reason];
      o.peer_basis = o.peer_basis === null ? null : data.texts[o.peer_basis];
      o.is_suppressed = Boolean(o.is_suppressed);
      return o;
    });
    return {programs: programs, peers: rows, assumptions: data.assumptions};
  }

  var api = {
    monthly_payment: monthly_payment, forgone_share: forgone_share, pathway_funding: pathway_funding,
    program_country: program_country, country_loan_rate: country_loan_rate, program_costs: program_costs,
    payback_years: payback_years, npv: npv, npv_from_costs: npv_from_costs, wilson_interval: wilson_interval,
    payback_interval: payback_interval, experience_band: experience_band, share_at_least: share_at_least,
    person_keys: person_keys, counterfactual: counterfactual, choose_level: choose_level, rank_rows: rank_rows,
    unpack: unpack, thresholds: thresholdsOf, roundHalfEven: roundHalfEven
  };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
  } else {
    root.Peers = api;
  }
})(typeof window !== "undefined" ? window : this);
