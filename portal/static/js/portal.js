// Small improvements on top of pages that work without JavaScript.
(function () {
  "use strict";

  // A form came back with errors: put focus on the summary at the top, so keyboard and
  // screen-reader users start there and can follow its links to each field.
  // (After "load": a page reached through a link with a #fragment moves the focus start
  // point there while loading, which would undo an earlier focus.)
  window.addEventListener("load", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  });

  // Print view: show the print button only where it can work.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // After htmx replaced the letter list, put focus on its heading so keyboard and
  // screen-reader users continue from the new content, not from the top of the page.
  // Not after the box's own poll for new letters (data-background): the reader stays put.
  document.addEventListener("htmx:afterSwap", function (event) {
    // (detail.elt is the swapped-in element; the request's own element is requestConfig.elt.)
    var source = event.detail && event.detail.requestConfig && event.detail.requestConfig.elt;
    if (source && source.hasAttribute && source.hasAttribute("data-background")) { return; }
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
