/* Live character counts beside the report's text boxes: "1,234 of 1,500 characters", in red
   when over. The limit is never enforced in the browser (a pasted text is kept whole); the
   server refuses an over-long text and shows it again to shorten. */
(function () {
  "use strict";
  var counters = document.querySelectorAll("[data-counter-for]");
  Array.prototype.forEach.call(counters, function (counter) {
    var box = document.getElementById(counter.getAttribute("data-counter-for"));
    var limit = parseInt(counter.getAttribute("data-limit"), 10);
    if (!box || !limit) { return; }
    function update() {
      var used = box.value.length;
      counter.textContent = used.toLocaleString("en") + " of " + limit.toLocaleString("en") + " characters";
      counter.classList.toggle("over", used > limit);
    }
    box.addEventListener("input", update);
    update();
  });
})();
