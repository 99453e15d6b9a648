// The compliance chart of a mandatory repost (ECharts, served locally): one bar per
// state, from the JSON the page embeds; the table beside it holds the same figures.
(function () {
  "use strict";
  function draw() {
    var holder = document.querySelector("[data-compliance-chart]");
    var data = document.getElementById("compliance-data");
    if (!holder || !data || typeof echarts === "undefined") { return; }
    var figures = JSON.parse(data.textContent);
    var colours = {on_time: "#2e7d32", late: "#ef6c00", pending: "#607d8b", in_review: "#1565c0", missing: "#c62828"};
    var chart = echarts.init(holder, null, {renderer: "svg"});
    chart.setOption({
      aria: {enabled: true},
      grid: {left: 48, right: 16, top: 16, bottom: 40},
      xAxis: {type: "category", data: figures.labels},
      yAxis: {type: "value", minInterval: 1},
      series: [{type: "bar", data: figures.values.map(function (value, index) {
        return {value: value, itemStyle: {color: colours[figures.states[index]]}};
      }), label: {show: true, position: "top"}}]
    });
    holder.setAttribute("data-chart-ready", "");
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
