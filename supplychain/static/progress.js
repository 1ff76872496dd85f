/* Live progress of a queued or running assessment: polls the JSON API with the session
   cookie and updates the <progress> bar and the status text; reloads once the job ends.
   Without JavaScript the page still says where the job is and offers a refresh link. */
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box) { return; }
  var url = box.getAttribute("data-progress-url");
  var bar = box.querySelector("progress");
  var percent = box.querySelector("[data-percent]");
  var rows = box.querySelector("[data-rows]");
  var stage = box.querySelector("[data-stage]");
  var status = box.querySelector("[data-status]");
  var elapsed = box.querySelector("[data-elapsed]");
  var stages = JSON.parse(box.getAttribute("data-stages") || "{}");
  var started = Date.now();
  var delay = 1000;
  var failures = 0;

  function number(value) {
    return typeof value === "number" ? value.toLocaleString() : "?";
  }

  function show(job) {
    var total = job.rows_total;
    var done = job.rows_done || 0;
    var share = typeof job.progress === "number" ? job.progress : (total ? done / total : 0);
    if (total) {
      bar.max = 100;
      bar.value = Math.round(share * 100);
      bar.textContent = Math.round(share * 100) + "%";
      percent.textContent = Math.round(share * 100) + "%";
    } else {
      bar.removeAttribute("value");  // indeterminate until the rows are counted
      percent.textContent = "";
    }
    rows.textContent = total ? number(done) + " of " + number(total) + " rows"
                             : number(done) + " rows so far";
    stage.textContent = stages[job.stage] || job.stage || "";
    status.textContent = job.status === "queued" ? "Waiting for a worker to start the job."
                        : job.status === "running" ? "Working. You can leave this page; the job goes on."
                        : job.status === "done" ? "Done. Opening the results…"
                        : "The job stopped. Loading the details…";
  }

  function tick() {
    var seconds = Math.round((Date.now() - started) / 1000);
    if (elapsed) { elapsed.textContent = "Checked " + seconds + " s after opening this page."; }
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (job) {
        failures = 0;
        show(job);
        if (job.status === "done" || job.status === "failed") {
          window.location.reload();
          return;
        }
        delay = Math.min(delay * 1.25, 5000);
        window.setTimeout(tick, delay);
      })
      .catch(function () {
        failures += 1;
        status.textContent = "Could not reach the server (" + failures + "); trying again.";
        window.setTimeout(tick, Math.min(30000, 2000 * failures));
      });
  }

  box.classList.add("live");
  window.setTimeout(tick, 300);
}());
