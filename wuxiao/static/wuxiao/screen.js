// 数据大屏: draws the payload the page carries, then fetches it again every 30 seconds.
(function () {
  "use strict";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function render(data) {
    document.getElementById("screen-title").textContent = data.title;
    document.getElementById("screen-updated").textContent = data.updated_at;
    var numbers = document.getElementById("screen-numbers");
    numbers.replaceChildren.apply(numbers, data.numbers.map(function (n) {
      var box = el("div", "num");
      box.append(el("span", "label", n.label), el("span", "value", String(n.value)), el("span", "unit", n.unit));
      return box;
    }));
    var tiles = document.getElementById("screen-tiles");
    var max = Math.max.apply(null, [1].concat(data.tiles.map(function (t) { return t.total; })));
    if (data.tiles.length) {
      tiles.replaceChildren.apply(tiles, data.tiles.map(function (t) {
        var box = el("div", "tile");
        // A tile's shade says how many projects it holds, as a choropleth would.
        box.style.setProperty("--share", (0.15 + 0.85 * t.total / max).toFixed(2));
        box.append(el("span", "name", t.name), el("span", "total", String(t.total)), el("span", "fwd", "已上报 " + t.forwarded));
        return box;
      }));
    }
    var recent = document.getElementById("screen-recent");
    var items = data.recent.map(function (p) {
      var li = el("li");
      li.append(el("span", "name", p.name), el("span", "unit", p.unit), el("time", "", p.forwarded_at));
      return li;
    });
    recent.replaceChildren.apply(recent, items.length ? items : [el("li", "empty", "暂无上报项目。")]);
    if (window.wuxiaoCharts && window.echarts) {
      window.wuxiaoCharts.draw(document.getElementById("screen-stages"), data.stages, true);
      window.wuxiaoCharts.draw(document.getElementById("screen-categories"), data.categories, true);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var body = document.body;
    render(JSON.parse(document.getElementById("screen-data").textContent));
    window.setInterval(function () {
      fetch(body.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(render)
        .catch(function () { /* keep the last numbers on screen; the next poll retries */ });
    }, Number(body.dataset.interval || 30) * 1000);
    window.addEventListener("resize", function () {
      ["screen-stages", "screen-categories"].forEach(function (id) {
        var chart = window.echarts && window.echarts.getInstanceByDom(document.getElementById(id));
        if (chart) { chart.resize(); }
      });
    });
  });
})();
