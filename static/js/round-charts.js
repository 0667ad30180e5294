// Charts for a review round's overview page; data comes from the page's json_script block.
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var pounds = function (value) { return "£" + Math.round(value).toLocaleString("en-GB"); };
  new Chart(document.getElementById("spend-by-priority"), {
    type: "bar",
    data: {
      labels: data.priorities.labels,
      datasets: [
        { label: "Cost", data: data.priorities.cost, backgroundColor: "#1f6feb" },
        { label: "Benefit", data: data.priorities.benefit, backgroundColor: "#2da44e" }
      ]
    },
    options: { scales: { y: { ticks: { callback: pounds } } } }
  });
  new Chart(document.getElementById("bcr-vs-cost"), {
    type: "scatter",
    data: { datasets: [{ label: "Programmes", data: data.scatter, backgroundColor: "#8250df" }] },
    options: {
      scales: {
        x: { title: { display: true, text: "Cost (£)" }, ticks: { callback: pounds } },
        y: { title: { display: true, text: "Benefit-cost ratio" }, beginAtZero: true }
      },
      plugins: { tooltip: { callbacks: { label: function (ctx) {
        return ctx.raw.label + ": BCR " + ctx.raw.y.toFixed(2) + ", cost " + pounds(ctx.raw.x);
      } } } }
    }
  });
})();
