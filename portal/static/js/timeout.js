// Session timeout without losing anything (WCAG 2.2.1).
// The server logs out after a time without requests. Two minutes before, a dialog offers to
// stay logged in ("Ingelogd blijven", or Escape). When the time is up, the page is loaded
// again: the server then shows the logged-out page and returns here after the next login.
// Text typed into a form is kept in this browser tab (sessionStorage) until it was sent, so
// neither a timeout nor a refused form loses it. Without JavaScript, portal/session_timeout.py
// keeps a form that arrives too late.
(function () {
  "use strict";

  var DRAFT_PREFIX = "portal-concept:";
  // A little after the server's limit, so the page we load finds the session ended.
  var EXPIRY_MARGIN_MS = 2000;
  var TEXT_TYPES = ["text", "email", "tel", "search", "url", "number", "date", "month", "week", "time", "datetime-local"];
  var SECRET_AUTOCOMPLETE = ["current-password", "new-password", "one-time-code"];

  var dialog = document.querySelector("[data-timeout-dialog]");

  // --- Drafts ---------------------------------------------------------------------------

  function storage() {
    try {
      return window.sessionStorage;
    } catch (error) {
      return null; // storage switched off: the dialog still works
    }
  }

  function readDraft(key) {
    var store = storage();
    try {
      var draft = store && JSON.parse(store.getItem(key) || "null");
      return draft && typeof draft === "object" && draft.fields ? draft : null;
    } catch (error) {
      return null;
    }
  }

  function writeDraft(key, draft) {
    var store = storage();
    try {
      if (store) { store.setItem(key, JSON.stringify(draft)); }
    } catch (error) { /* full or refused: nothing is lost that the page does not still show */ }
  }

  function removeDraft(key) {
    var store = storage();
    if (store) { store.removeItem(key); }
  }

  function draftKeys() {
    var store = storage();
    var keys = [];
    if (!store) { return keys; }
    for (var i = 0; i < store.length; i += 1) {
      var key = store.key(i);
      if (key && key.indexOf(DRAFT_PREFIX) === 0) { keys.push(key); }
    }
    return keys;
  }

  function isPostForm(form) {
    return form && form.tagName === "FORM" && (form.getAttribute("method") || "").toLowerCase() === "post";
  }

  function draftable(field) {
    if (!field || !field.name || field.name === "csrf_token" || field.disabled || field.readOnly) { return false; }
    if (SECRET_AUTOCOMPLETE.indexOf((field.getAttribute("autocomplete") || "").toLowerCase()) !== -1) { return false; }
    if (field.tagName === "TEXTAREA") { return true; }
    return field.tagName === "INPUT" && TEXT_TYPES.indexOf(field.type) !== -1;
  }

  function actionOf(form) {
    var url = new URL(form.action, window.location.href);
    return url.pathname + url.search;
  }

  // One draft per page and form: "portal-concept:" + page path + "|" + form action.
  function keyOf(form) {
    return DRAFT_PREFIX + window.location.pathname + "|" + actionOf(form);
  }

  function fieldsOf(form) {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (draftable(field) && field.value !== "") { fields[field.name] = field.value; }
    });
    return fields;
  }

  function saveDraft(form, sent) {
    var fields = fieldsOf(form);
    var key = keyOf(form);
    if (Object.keys(fields).length === 0) {
      removeDraft(key);
      return;
    }
    writeDraft(key, {
      owner: dialog.dataset.draftOwner,
      at: Date.now(),
      fields: fields,
      sent: sent,
      interrupted: false
    });
  }

  function showsErrors(form) {
    return Boolean(form.querySelector("[aria-invalid='true']") || document.querySelector("[data-error-summary]"));
  }

  function formFor(key) {
    var forms = document.querySelectorAll("form");
    for (var i = 0; i < forms.length; i += 1) {
      if (isPostForm(forms[i]) && keyOf(forms[i]) === key) { return forms[i]; }
    }
    return null;
  }

  function restore(form, draft, overwrite) {
    Object.keys(draft.fields).forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (draftable(field) && (overwrite || field.value === "")) {
        field.value = draft.fields[name];
      }
    });
  }

  // A logged-out page: a form sent from here did not arrive, and the page we left at the
  // timeout was not finished. Both come back after the next login.
  function markInterrupted(onlyThisPage) {
    var prefix = DRAFT_PREFIX + window.location.pathname + "|";
    draftKeys().forEach(function (key) {
      var draft = readDraft(key);
      if (!draft || (onlyThisPage && key.indexOf(prefix) !== 0) || (!onlyThisPage && !draft.sent)) { return; }
      draft.sent = false;
      draft.interrupted = true;
      writeDraft(key, draft);
    });
  }

  function settleDrafts() {
    var maxAge = Number(dialog.dataset.draftMaxAgeSeconds) * 1000;
    draftKeys().forEach(function (key) {
      var draft = readDraft(key);
      if (!draft || Date.now() - draft.at > maxAge) {
        removeDraft(key);
        return;
      }
      if (draft.owner !== dialog.dataset.draftOwner) { return; } // someone else's, or for another box
      var form = formFor(key);
      if (draft.sent) {
        // Sent and arrived: keep it only while the page shows the form again with errors.
        if (form && showsErrors(form)) {
          draft.sent = false;
          writeDraft(key, draft);
          restore(form, draft, false);
        } else {
          removeDraft(key);
        }
      } else if (form) {
        restore(form, draft, draft.interrupted);
        if (draft.interrupted) {
          draft.interrupted = false;
          writeDraft(key, draft);
        }
      }
    });
  }

  if (!dialog) {
    markInterrupted(false);
    return; // not logged in: no timeout to warn about
  }

  settleDrafts();

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (draftable(field) && isPostForm(field.form)) { saveDraft(field.form, false); }
  });

  var logoutAction = dialog.dataset.logoutAction;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!isPostForm(form) || dialog.contains(form)) { return; }
    if (actionOf(form) === logoutAction) {
      draftKeys().forEach(removeDraft); // logging out on purpose: leave nothing behind
      return;
    }
    saveDraft(form, true);
  }, true);

  // --- The timer and the dialog -----------------------------------------------------------

  var idleMs = Number(dialog.dataset.idleSeconds) * 1000;
  var warningMs = Number(dialog.dataset.warningSeconds) * 1000;
  var keepAliveForm = dialog.querySelector("form");
  var warnTimer = null;
  var endTimer = null;
  var warnAt = 0;
  var deadline = 0;
  var returnFocus = null;

  function restart() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    warnAt = Date.now() + idleMs - warningMs;
    deadline = Date.now() + idleMs + EXPIRY_MARGIN_MS;
    warnTimer = window.setTimeout(warn, idleMs - warningMs);
    endTimer = window.setTimeout(expire, idleMs + EXPIRY_MARGIN_MS);
  }

  function warn() {
    if (dialog.open) { return; }
    returnFocus = document.activeElement;
    dialog.showModal(); // moves focus to the button
  }

  function expire() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    markInterrupted(true);
    // A GET of this page (not reload: that could send a form again). The server sees the
    // ended session, remembers this page and shows why the person was logged out.
    window.location.assign(window.location.href.split("#")[0]);
  }

  function extend() {
    if (Date.now() >= deadline) {
      expire(); // too late (a computer that slept): the server has logged out already
      return;
    }
    if (dialog.open) { dialog.close(); }
    restart();
    window.fetch(keepAliveForm.action, {
      method: "POST",
      body: new FormData(keepAliveForm),
      credentials: "same-origin"
    }).then(function (response) {
      if (response.status !== 204) { expire(); }
    }).catch(function () { /* offline: the next warning tries again */ });
  }

  // Timers do not run while a computer sleeps: check the clock when the page is seen again.
  function check() {
    if (Date.now() >= deadline) {
      expire();
    } else if (Date.now() >= warnAt) {
      warn();
    }
  }

  keepAliveForm.addEventListener("submit", function (event) {
    event.preventDefault();
    extend();
  });
  // Escape closes a modal dialog with a "cancel" event: that extends too.
  dialog.addEventListener("cancel", function () {
    extend();
  });
  dialog.addEventListener("close", function () {
    if (returnFocus && returnFocus !== document.body && returnFocus.isConnected) {
      returnFocus.focus();
    }
    returnFocus = null;
  });
  // An htmx request reached the server, so its idle time started again. Not a request the
  // page made by itself (data-background: the Berichtenbox asking for new letters): the
  // server does not count it either (portal/endpoints.py "background").
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail && event.detail.xhr;
    var element = event.detail && event.detail.requestConfig && event.detail.requestConfig.elt;
    if (element && element.hasAttribute && element.hasAttribute("data-background")) { return; }
    if (xhr && xhr.status > 0 && xhr.status !== 401) { restart(); }
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { check(); }
  });
  window.addEventListener("focus", check);

  restart();
})();
