/* Draws the overview's charts from the JSON the page carries (#dashboard-charts); a click on a
   bar, point or slice opens the sales behind it. Amounts arrive as integer cents. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var currency = data.currency || "KES";
  var grouped = new Intl.NumberFormat("en-KE", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var whole = new Intl.NumberFormat("en-KE", { maximumFractionDigits: 0 });

  function money(cents) { return currency + " " + grouped.format(cents / 100); }
  function axisMoney(value) { return currency + " " + whole.format(value); }
  var palette = ["#264b5d", "#3f8f7a", "#e0a43a", "#b85c4a", "#7a6fb0", "#5a8fc2", "#9aa64b",
                 "#c26e9b", "#6b7785", "#2f6f4f"];

  function draw(id, type, series, options) {
    var canvas = document.getElementById(id);
    if (!canvas || !series || !series.cents.length) { return null; }
    var horizontal = options && options.horizontal;
    var config = {
      type: type,
      data: {
        labels: series.labels,
        datasets: [{
          data: series.cents.map(function (c) { return c / 100; }),
          backgroundColor: type === "doughnut" ? palette : "#264b5d",
          borderColor: "#264b5d",
          fill: false, tension: 0.25, pointRadius: 3, pointHoverRadius: 6
        }]
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        indexAxis: horizontal ? "y" : "x",
        plugins: {
          legend: { display: type === "doughnut", position: "bottom" },
          tooltip: { callbacks: { label: function (ctx) { return money(series.cents[ctx.dataIndex]); } } }
        },
        onClick: function (event, elements) {
          if (elements.length) { window.location.href = series.links[elements[0].index]; }
        },
        onHover: function (event, elements) {
          event.native.target.style.cursor = elements.length ? "pointer" : "default";
        }
      }
    };
    if (type !== "doughnut") {
      var valueAxis = { beginAtZero: true, ticks: { callback: axisMoney } };
      config.options.scales = horizontal ? { x: valueAxis } : { y: valueAxis };
    }
    var chart = new Chart(canvas, config);
    canvas.dataset.ready = "1";
    return chart;
  }

  draw("chart-trend", data.trend.cents.length > 1 ? "line" : "bar", data.trend);
  draw("chart-products", "bar", data.products, { horizontal: true });
  draw("chart-payments", "doughnut", data.payments);
  draw("chart-stores", "bar", data.stores);
})();
