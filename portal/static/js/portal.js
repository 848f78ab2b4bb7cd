// Small improvements on top of pages that work without JavaScript.
(function () {
  "use strict";

  // Print view: show the print button only where it can work.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // After htmx replaced the letter list, put focus on its heading so keyboard and
  // screen-reader users continue from the new content, not from the top of the page.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || !target.isConnected) {
      target = document.getElementById("berichtenlijst");
    }
    var heading = document.getElementById("lijst-kop");
    if (heading && target && target.id === "berichtenlijst") {
      heading.focus();
    }
  });
})();
