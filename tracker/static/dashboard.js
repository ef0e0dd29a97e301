// Progressive enhancement: draw a chart above each dashboard table that asks
// for one, from the table's own cells. The table stays on the page and is the
// accessible version; without JavaScript or Chart.js nothing is lost.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") { return; }
  // Colour-blind-safe palette (Okabe-Ito); the legend names every series, so
  // colour is never the only cue.
  var COLOURS = ["#0072B2", "#009E73", "#E69F00", "#D55E00", "#CC79A7", "#56B4E9", "#000000"];
  var DASHES = [[], [6, 3], [2, 2], [8, 3, 2, 3]];

  function readTable(table) {
    var heads = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"))
      .filter(function (tr) { return !tr.classList.contains("total-row"); });
    return {
      columns: heads.map(function (th) {
        return { key: th.dataset.key, kind: th.dataset.kind, label: th.textContent.trim() };
      }),
      labels: rows.map(function (tr) { return tr.cells[0].textContent.trim(); }),
      value: function (col) {
        return rows.map(function (tr) {
          var raw = tr.cells[col].dataset.value;
          if (raw === undefined || raw === "") { return null; }
          var n = Number(raw);
          return heads[col].dataset.kind === "pct" ? Math.round(n * 1000) / 10 : n;
        });
      }
    };
  }

  function datasets(data, wanted) {
    var out = [];
    data.columns.forEach(function (c, i) {
      if (i === 0 || !wanted(c)) { return; }
      var colour = COLOURS[out.length % COLOURS.length];
      out.push({
        label: c.label + (c.kind === "pct" ? " (%)" : ""),
        data: data.value(i),
        backgroundColor: colour,
        borderColor: colour,
        borderDash: DASHES[out.length % DASHES.length],
        spanGaps: true
      });
    });
    return out;
  }

  function config(kind, data) {
    if (kind === "stacked") {
      return {
        type: "bar",
        data: { labels: data.labels, datasets: datasets(data, function (c) { return c.kind === "int" && c.key !== "points"; }) },
        options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } }
      };
    }
    if (kind === "stacked-pair") {
      return {
        type: "bar",
        data: { labels: data.labels, datasets: datasets(data, function (c) { return c.kind === "int"; }) },
        options: { scales: { y: { beginAtZero: true } } }
      };
    }
    return {
      type: "line",
      data: { labels: data.labels, datasets: datasets(data, function (c) { return c.kind === "pct" || c.kind === "days"; }) },
      options: { scales: { y: { beginAtZero: true } } }
    };
  }

  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  document.querySelectorAll("figure[data-chart-for]").forEach(function (figure) {
    var table = document.getElementById(figure.dataset.chartFor);
    if (!table) { return; }
    var data = readTable(table);
    if (!data.labels.length) { return; }
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    var caption = table.querySelector("caption");
    canvas.setAttribute("aria-label", "Chart: " + (caption ? caption.textContent.trim() : "") +
      ". The same figures are in the table below.");
    figure.appendChild(canvas);
    figure.hidden = false;
    var cfg = config(figure.dataset.chart, data);
    cfg.options.maintainAspectRatio = false;
    cfg.options.animation = reduceMotion ? false : { duration: 300 };
    cfg.options.plugins = { legend: { position: "bottom", labels: { color: "#1b1b1b" } } };
    new window.Chart(canvas, cfg);
  });
})();
