/* Charts are drawn on the server as SVG with a table beside them; this only adds a readout:
   pointing at (or tapping) a bar or a heatmap cell writes its figures under the chart, which
   phones need because they show no SVG <title> tooltips. */
(function () {
  "use strict";
  var figures = document.querySelectorAll("figure.chart");
  Array.prototype.forEach.call(figures, function (figure) {
    var readout = figure.querySelector(".chart-readout");
    if (!readout) { return; }
    var initial = readout.textContent;
    function show(event) {
      var mark = event.target.closest("[data-readout]");
      if (!mark || !figure.contains(mark)) { return; }
      readout.textContent = mark.getAttribute("data-readout");
      var current = figure.querySelector(".mark-active");
      if (current) { current.classList.remove("mark-active"); }
      mark.classList.add("mark-active");
    }
    figure.addEventListener("mouseover", show);
    figure.addEventListener("click", show);
    figure.addEventListener("focusin", show);
    figure.addEventListener("mouseleave", function () {
      readout.textContent = initial;
      var current = figure.querySelector(".mark-active");
      if (current) { current.classList.remove("mark-active"); }
    });
  });
}());
