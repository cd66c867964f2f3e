// The dashboard's charts (Chart.js): data from the page's json_script, a click on a bar opens its list.
(function() {
  const data = JSON.parse(document.getElementById("dashboard-data").textContent);
  const blue = "#0d6efd",
    grey = "#adb5bd",
    amber = "#ffc107";

  function go(urls) {
    return function(event, elements) {
      if (elements.length && urls[elements[0].index]) {
        window.location.href = urls[elements[0].index];
      }
    };
  }

  function bar(id, labels, datasets, urls, horizontal) {
    const el = document.getElementById(id);
    if (!el || !window.Chart) return;
    new Chart(el, {
      type: "bar",
      data: {
        labels: labels,
        datasets: datasets
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        animation: false,
        onClick: go(urls),
        plugins: {
          legend: {
            display: datasets.length > 1
          }
        },
        scales: {
          x: {
            beginAtZero: true
          },
          y: {
            beginAtZero: true
          }
        }
      }
    });
  }
  bar("chart-funnel", data.funnel.labels, [{
      label: data.labels.period,
      data: data.funnel.counts,
      backgroundColor: blue
    },
    {
      label: data.labels.last,
      data: data.funnel.last,
      backgroundColor: grey
    }
  ], data.funnel.urls, true);
  // Visits and calls side by side, by hour of the day and by weekday.
  function visitsAndCalls(id, series) {
    bar(id, series.labels, [{
        label: data.labels.visits,
        data: series.visits,
        backgroundColor: blue
      },
      {
        label: data.labels.calls,
        data: series.calls,
        backgroundColor: amber
      }
    ], series.urls, false);
  }
  visitsAndCalls("chart-hours", data.hours);
  visitsAndCalls("chart-weekdays", data.weekdays);
  bar("chart-sources", data.sources.labels, [{
    label: data.labels.visits,
    data: data.sources.visits,
    backgroundColor: blue
  }], data.sources.urls, true);
})();
