// The monthly audit trend chart (Chart.js), data from the page's json_script.
(function() {
  const el = document.getElementById("chart-trend");
  if (!el || !window.Chart) return;
  const data = JSON.parse(document.getElementById("trend-data").textContent);
  new Chart(el, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: data.series.map(function(s) {
        return {
          label: s.label,
          data: s.data,
          spanGaps: true
        };
      })
    },
    options: {
      animation: false,
      scales: {
        y: {
          min: 0,
          max: 100
        }
      }
    }
  });
})();
