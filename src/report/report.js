// The HTML report's only script (inlined by report/html.rs): zoom and pan
// for the diagram, a filter for the reachability matrix, and a self-check
// that runs when the page is opened with `#selftest` (tests/html_browser.rs
// reads its result from the DOM). Without it the page still works: the
// diagram scrolls at natural size and the matrix shows every row.
// No network: nothing here loads, fetches or links anything.
(function () {
  "use strict";
  var d = document;
  function byId(id) { return d.getElementById(id); }

  // ----- diagram: zoom (buttons, wheel) and pan (drag) -----
  var box = byId("diagram");
  var svg = box && box.querySelector("svg");
  var scale = 1, w0 = 0, h0 = 0;
  function setScale(s, cx, cy) {
    s = Math.min(8, Math.max(0.05, s));
    if (cx === undefined) { cx = box.clientWidth / 2; cy = box.clientHeight / 2; }
    var x = (box.scrollLeft + cx) / scale, y = (box.scrollTop + cy) / scale;
    scale = s;
    svg.style.width = w0 * s + "px";
    svg.style.height = h0 * s + "px";
    box.scrollLeft = x * s - cx;
    box.scrollTop = y * s - cy;
    byId("zoom-level").textContent = Math.round(s * 100) + "%";
  }
  if (svg) {
    var r = svg.getBoundingClientRect();
    w0 = r.width; h0 = r.height;
    byId("diagram-tools").hidden = false;
    box.classList.add("grab");
    // Natural size, the top centre in view (the internet and the gateways).
    box.scrollLeft = (box.scrollWidth - box.clientWidth) / 2;
    byId("diagram-tools").addEventListener("click", function (e) {
      var z = e.target.getAttribute("data-zoom");
      if (z === "in") setScale(scale * 1.25);
      else if (z === "out") setScale(scale / 1.25);
      else if (z === "reset") setScale(1);
      else if (z === "fit") setScale(Math.min(box.clientWidth / w0, box.clientHeight / h0));
    });
    box.addEventListener("wheel", function (e) {
      e.preventDefault();
      var b = box.getBoundingClientRect();
      var dy = e.deltaMode === 1 ? e.deltaY * 33 : e.deltaY;
      setScale(scale * Math.pow(1.0015, -dy), e.clientX - b.left, e.clientY - b.top);
    }, { passive: false });
    var drag = null;
    box.addEventListener("pointerdown", function (e) {
      if (e.button !== 0) return;
      e.preventDefault();
      drag = { x: e.clientX, y: e.clientY, l: box.scrollLeft, t: box.scrollTop };
      box.classList.add("panning");
      try { box.setPointerCapture(e.pointerId); } catch (_) { /* a synthetic pointer */ }
    });
    box.addEventListener("pointermove", function (e) {
      if (!drag) return;
      box.scrollLeft = drag.l - (e.clientX - drag.x);
      box.scrollTop = drag.t - (e.clientY - drag.y);
    });
    var end = function () { drag = null; box.classList.remove("panning"); };
    box.addEventListener("pointerup", end);
    box.addEventListener("pointercancel", end);
  }

  // ----- matrix: filter sources and destinations by name -----
  var mx = byId("matrix");
  var table = mx && mx.querySelector("table");
  var heads = table ? table.tHead.rows[0].cells : [];
  var rows = table ? table.tBodies[0].rows : [];
  var shown = [];
  function terms(v) { return v.toLowerCase().split(/[\s,]+/).filter(Boolean); }
  function hit(th, t) {
    if (!t.length) return true;
    var n = (th.textContent + " " + (th.getAttribute("data-members") || "")).toLowerCase();
    return t.some(function (x) { return n.indexOf(x) >= 0; });
  }
  function filter() {
    var from = terms(byId("filter-from").value), to = terms(byId("filter-to").value);
    var cols = [], changed = false, nr = 0, nc = 0, i, j;
    for (j = 1; j < heads.length; j++) {
      cols[j] = hit(heads[j], to);
      if (cols[j] !== shown[j]) changed = true;
      heads[j].hidden = !cols[j];
      if (cols[j]) nc++;
    }
    for (i = 0; i < rows.length; i++) {
      var row = rows[i], on = hit(row.cells[0], from);
      row.hidden = !on;
      if (on) nr++;
      if (changed) for (j = 1; j < row.cells.length; j++) row.cells[j].hidden = !cols[j];
    }
    shown = cols;
    byId("matrix-count").textContent = nr + " of " + rows.length + " sources, " +
      nc + " of " + (heads.length - 1) + " destinations";
  }
  if (table) {
    byId("matrix-tools").hidden = false;
    byId("filter-from").addEventListener("input", filter);
    byId("filter-to").addEventListener("input", filter);
    filter();
  }

  // ----- self-check, only with #selftest -----
  if (location.hash !== "#selftest") return;
  var res = {};
  function visible(list) {
    var n = 0;
    for (var k = 0; k < list.length; k++) if (list[k].getClientRects().length) n++;
    return n;
  }
  function type(id, v) {
    var input = byId(id);
    input.value = v;
    input.dispatchEvent(new Event("input"));
  }
  try {
    res.resources = performance.getEntriesByType("resource").length;
    res.scripts = d.scripts.length;
    if (svg) {
      var width = function () { return svg.getBoundingClientRect().width; };
      var click = function (z) { d.querySelector("[data-zoom=" + z + "]").click(); };
      res.natural = Math.round(w0);
      click("in"); res.zoomIn = width() / w0;
      click("out"); click("out"); res.zoomOut = width() / w0;
      click("reset"); res.reset = width() / w0;
      click("fit"); res.fit = width() / box.clientWidth;
      click("reset");
      var b = box.getBoundingClientRect();
      box.dispatchEvent(new WheelEvent("wheel", {
        deltaY: -200, clientX: b.left + 50, clientY: b.top + 50, bubbles: true, cancelable: true
      }));
      res.wheel = width() / w0;
      box.scrollLeft = 0; box.scrollTop = 0;
      var p = function (kind, x, y) {
        box.dispatchEvent(new PointerEvent(kind, {
          clientX: b.left + x, clientY: b.top + y, button: 0, pointerId: 1, bubbles: true
        }));
      };
      p("pointerdown", 200, 200); p("pointermove", 120, 150); p("pointerup", 120, 150);
      res.pan = [box.scrollLeft, box.scrollTop];
      click("reset");
    }
    if (table) {
      res.sources = rows.length;
      res.destinations = heads.length - 1;
      type("filter-from", "no-such-name-anywhere");
      res.fromNone = visible(rows);
      var first = terms(rows[0].cells[0].textContent)[0];
      type("filter-from", first);
      res.fromFirst = visible(rows);
      res.fromFirstText = first;
      type("filter-from", "");
      type("filter-to", "internet");
      res.toInternet = visible(heads) - 1;
      res.cellsShown = visible(rows[0].cells) - 1;
      type("filter-to", "");
      res.cleared = [visible(rows), visible(heads) - 1];
      res.stickyTop = getComputedStyle(heads[1]).position;
      res.stickyLeft = getComputedStyle(rows[0].cells[0]).position;
      // Scroll a small window of the matrix and see the headers stay put.
      mx.style.maxHeight = "200px";
      mx.style.maxWidth = "300px";
      mx.scrollTop = mx.scrollHeight;
      mx.scrollLeft = mx.scrollWidth;
      var m = mx.getBoundingClientRect(), last = rows[rows.length - 1].cells[0];
      res.scrolled = [mx.scrollLeft, mx.scrollTop];
      res.headTop = heads[heads.length - 1].getBoundingClientRect().top - m.top;
      res.srcLeft = last.getBoundingClientRect().left - m.left;
      mx.style.maxHeight = ""; mx.style.maxWidth = "";
      mx.scrollTop = 0; mx.scrollLeft = 0;
    }
    res.ok = true;
  } catch (e) {
    res.error = String(e);
  }
  d.documentElement.setAttribute("data-selftest", JSON.stringify(res));
})();
