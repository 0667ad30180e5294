// Trend chart on an indicator's page; data comes from the page's json_script block.
(function () {
  "use strict";
  var source = document.getElementById("indicator-chart-data");
  var canvas = document.getElementById("indicator-trend");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colours = { green: "#1b7a33", amber: "#a15c00", red: "#b3261e", grey: "#5f6368" };
  var labels = { green: "on target", amber: "within tolerance", red: "off target", grey: "no status" };
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [
        { label: "Actual", data: data.actual, borderColor: "#1f6feb", backgroundColor: "#1f6feb",
          pointBackgroundColor: data.status.map(function (s) { return colours[s] || colours.grey; }),
          pointRadius: 6, spanGaps: false },
        { label: "Target", data: data.target, borderColor: "#8250df", backgroundColor: "#8250df",
          borderDash: [6, 4], pointRadius: 3, spanGaps: true },
        { label: "Baseline", data: data.baseline, borderColor: "#5f6368", backgroundColor: "#5f6368",
          borderDash: [2, 3], pointRadius: 0, spanGaps: true }
      ]
    },
    options: {
      scales: { y: { title: { display: true, text: data.unit } } },
      plugins: {
        subtitle: { display: true, text: data.polarity === "lower" ? "Lower is better" : "Higher is better" },
        tooltip: { callbacks: { afterLabel: function (ctx) {
          return ctx.dataset.label === "Actual" ? "Status: " + labels[data.status[ctx.dataIndex]] : "";
        } } }
      }
    }
  });
})();
