// The open Berichtenbox shows new letters without a reload (views/messages/_poll.html).
// htmx asks every INBOX_POLL_SECONDS; this holds the request back while nobody can see the
// tab, and while the timeout dialog is open: the poll is no activity, and after the timeout
// timeout.js takes the page to the logged-out page. When the tab is seen again, it asks at
// once. Without JavaScript the letter is there on the next page load.
(function () {
  "use strict";

  function isPoll(element) {
    return Boolean(element && element.hasAttribute && element.hasAttribute("data-background"));
  }

  function timeoutDialogOpen() {
    var dialog = document.querySelector("[data-timeout-dialog]");
    return Boolean(dialog && dialog.open);
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (!isPoll(event.detail && event.detail.requestConfig && event.detail.requestConfig.elt)) { return; }
    if (document.visibilityState !== "visible" || timeoutDialogOpen()) {
      event.preventDefault();
    }
  });

  document.addEventListener("visibilitychange", function () {
    var poll = document.getElementById("nieuwe-post");
    if (poll && document.visibilityState === "visible" && window.htmx) {
      window.htmx.trigger(poll, "live-inbox:now");
    }
  });
})();
