// Charts of the statistics pages: each chart is drawn from the JSON payload the page carries
// beside it (<script type="application/json" id="chart-…">); the table shows the same numbers.
(function () {
  "use strict";
  var COLOURS = ["#c8102e", "#1f5fa8", "#f0a202", "#2e8b57", "#7b5ea7", "#8c8c8c", "#d9534f", "#17a2b8"];

  function optionFor(p, dark, width) {
    var narrow = width && width < 520;
    var series = p.series.filter(function (s) { return !s.table_only; });
    var text = dark ? "#e8eef7" : "#333";
    if (p.type === "pie" && series.length === 1) {
      // Empty slices are left out of the picture (the table lists every row).
      // Each label keeps its colour whichever slices are shown.
      var slices = p.labels.map(function (l, i) {
        return { name: l, value: series[0].data[i], itemStyle: { color: COLOURS[i % COLOURS.length] } };
      })
        .filter(function (d) { return d.value; });
      return {
        color: COLOURS,
        tooltip: { trigger: "item", formatter: "{b}：{c} " + p.unit + "（{d}%）" },
        series: [{
          // On a phone the ring shrinks so the labels beside it stay inside the card.
          type: "pie", radius: narrow ? ["24%", "44%"] : ["35%", "62%"], center: ["50%", "50%"],
          label: { color: text, formatter: "{b}\n{c}", width: narrow ? 64 : 90, overflow: "break" },
          data: slices
        }]
      };
    }
    var horizontal = p.type === "hbar";
    var category = { type: "category", data: p.labels, axisLabel: { color: text, interval: 0, hideOverlap: true, width: horizontal ? 140 : 80, overflow: "truncate" }, inverse: horizontal };
    var value = { type: "value", name: p.unit, minInterval: p.unit === "项" ? 1 : 0, axisLabel: { color: text }, nameTextStyle: { color: text }, splitLine: { lineStyle: { color: dark ? "#2a3a55" : "#e5e5e5" } } };
    return {
      color: COLOURS,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: series.length > 1 ? { top: 0, textStyle: { color: text } } : undefined,
      grid: { left: 8, right: 32, top: series.length > 1 ? 36 : 28, bottom: 8, containLabel: true },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: series.map(function (s) {
        return { type: "bar", name: s.name, data: s.data, label: { show: p.labels.length <= 12, position: horizontal ? "right" : "top", color: text } };
      })
    };
  }

  function draw(el, payload, dark) {
    if (payload.type === "hbar" && !dark) {
      // One readable row per label: a long list of districts or units makes a taller chart.
      el.style.height = Math.max(320, 26 * payload.labels.length + 70) + "px";
    }
    var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(optionFor(payload, dark, el.clientWidth), true);
    return chart;
  }

  window.wuxiaoCharts = { optionFor: optionFor, draw: draw };

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) { return; }
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var data = document.getElementById(el.dataset.chart);
      if (data) { charts.push(draw(el, JSON.parse(data.textContent), false)); }
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  });
})();
