// 首页 trends: reads the figures the page embeds (json_script) and draws them with the
// ECharts build served by this application (static/vendor), nothing from outside.
(function () {
  "use strict";
  var source = document.getElementById("monthly-figures");
  if (!source || typeof echarts === "undefined") { return; }
  var figures = JSON.parse(source.textContent);
  var charts = [];

  // Text follows the page's root font size (site.css enlarges it on a wall screen).
  function fontSize() {
    var root = parseFloat(window.getComputedStyle(document.documentElement).fontSize) || 15;
    return Math.round(root * 0.8);
  }

  function textOption() {
    var size = fontSize();
    return {
      textStyle: { fontSize: size },
      legend: { top: 4, textStyle: { fontSize: size }, itemWidth: size * 2, itemHeight: size },
      tooltip: { trigger: "axis", textStyle: { fontSize: size } },
      grid: { left: size * 4, right: size * 2, top: size * 3.2, bottom: size * 2.6 },
      xAxis: { axisLabel: { fontSize: size } },
      yAxis: { axisLabel: { fontSize: size } }
    };
  }

  function draw(id, option) {
    var element = document.getElementById(id);
    if (!element) { return; }
    var chart = echarts.init(element, null, { locale: "ZH", renderer: "canvas" });
    chart.setOption(option);
    chart.setOption(textOption());
    charts.push(chart);
  }

  var base = {
    animation: false,
    xAxis: { type: "category", data: figures.months },
    yAxis: { type: "value", minInterval: 1 }
  };

  draw("chart-cases", Object.assign({}, base, {
    color: ["#12355b", "#d97706"],
    series: figures.cases.map(function (s) {
      return { name: s.name, type: "bar", stack: "cases", data: s.data };
    })
  }));
  draw("chart-alarms", Object.assign({}, base, {
    color: ["#0f766e"],
    series: [{ name: figures.alarms.name, type: "line", smooth: false, data: figures.alarms.data }]
  }));

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) {
      chart.setOption(textOption());
      chart.resize();
    });
  });
})();
