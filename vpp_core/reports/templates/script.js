(function () {
  document.querySelectorAll("[data-filter-table]").forEach(function (group) {
    var table = document.getElementById(group.getAttribute("data-filter-table"));
    group.hidden = false;
    group.querySelectorAll("button").forEach(function (button) {
      button.addEventListener("click", function () {
        var wanted = button.getAttribute("data-show");
        group.querySelectorAll("button").forEach(function (other) {
          other.setAttribute("aria-pressed", String(other === button));
        });
        table.querySelectorAll("tbody tr").forEach(function (row) {
          var show = wanted === "all" || row.getAttribute("data-attention") === "yes";
          row.classList.toggle("hidden", !show);
        });
      });
    });
  });
  // Printing opens every collapsed group, so the paper holds every finding.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
  document.body.setAttribute("data-report-ready", "yes");
})();
