/* Draws a product's demand forecast from #forecast-chart: the expected units per day as a
   line inside the band that holds 8 days in 10. */
(function () {
  "use strict";
  var source = document.getElementById("forecast-chart");
  var canvas = document.getElementById("chart-forecast");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  if (!data.labels.length) { return; }
  var unit = data.unit;
  function amount(value) { return (unit === "kg" ? value.toFixed(1) : Math.round(value)) + " " + unit; }
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [
        { label: "Likely high", data: data.upper, borderColor: "rgba(38,75,93,0.25)",
          backgroundColor: "rgba(38,75,93,0.15)", pointRadius: 0, fill: "+1" },
        { label: "Likely low", data: data.lower, borderColor: "rgba(38,75,93,0.25)",
          pointRadius: 0, fill: false },
        { label: "Expected", data: data.median, borderColor: "#264b5d", backgroundColor: "#264b5d",
          pointRadius: 3, tension: 0.25, fill: false }
      ]
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: { display: true, position: "bottom" },
        tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + amount(ctx.parsed.y); } } }
      },
      scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return v + " " + unit; } } } }
    }
  });
  canvas.dataset.ready = "1";
})();
