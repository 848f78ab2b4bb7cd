// "Lees voor": read a letter or a help text aloud with the browser's own speech synthesis.
// The buttons stay hidden where the browser cannot speak. Nothing is sent anywhere by us.
(function () {
  "use strict";

  var synth = window.speechSynthesis;
  if (!synth || typeof window.SpeechSynthesisUtterance !== "function") {
    return;
  }

  // The page's language (<html lang>) -> the language asked of the voice.
  var VOICE_LANGUAGES = { nl: "nl-NL", en: "en-GB", tr: "tr-TR", ar: "ar", pl: "pl-PL", uk: "uk-UA" };
  var speaking = null; // the button whose text is being read now

  function normalised(lang) {
    return String(lang || "").replace("_", "-").toLowerCase();
  }

  // A voice for exactly this language and region, else one for the language.
  function voiceFor(lang, code) {
    var voices = synth.getVoices() || [];
    var exact = null;
    var near = null;
    voices.forEach(function (voice) {
      var own = normalised(voice.lang);
      if (!exact && own === normalised(lang)) { exact = voice; }
      if (!near && own.indexOf(code) === 0) { near = voice; }
    });
    return exact || near;
  }

  // What the reader sees in the target, without the read-aloud buttons inside it. (Hiding
  // the buttons for a moment would take the keyboard focus away from the one just pressed.)
  function textOf(node) {
    var parts = [];
    node.childNodes.forEach(function (child) {
      if (child.nodeType === Node.TEXT_NODE) {
        parts.push(child.textContent);
      } else if (child.nodeType === Node.ELEMENT_NODE && !child.matches("[data-read-aloud]")
                 && child.getClientRects().length > 0) {
        parts.push(child.querySelector("[data-read-aloud]") ? textOf(child) : child.innerText);
      }
    });
    return parts.join("\n").trim();
  }

  function label(button, on) {
    button.textContent = button.getAttribute(on ? "data-label-stop" : "data-label-start");
  }

  function stop() {
    if (speaking) {
      label(speaking, false);
      speaking = null;
    }
    synth.cancel();
  }

  function start(button) {
    var target = document.getElementById(button.getAttribute("data-read-aloud"));
    var text = target ? textOf(target) : "";
    if (!text) {
      return;
    }
    stop();
    var utterance = new window.SpeechSynthesisUtterance(text);
    var code = normalised(document.documentElement.lang || "nl").split("-")[0];
    utterance.lang = VOICE_LANGUAGES[code] || code;
    var voice = voiceFor(utterance.lang, code);
    if (voice) {
      utterance.voice = voice;
    }
    utterance.onend = utterance.onerror = function () {
      if (speaking === button) {
        label(button, false);
        speaking = null;
      }
    };
    speaking = button;
    label(button, true);
    synth.speak(utterance);
  }

  function reveal(root) {
    root.querySelectorAll("[data-read-aloud]").forEach(function (button) {
      button.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-read-aloud]");
    if (!button) {
      return;
    }
    if (speaking === button) {
      stop();
    } else {
      start(button);
    }
  });
  // Help texts that htmx loads in place get a working button too.
  document.addEventListener("htmx:load", function (event) {
    if (event.target && event.target.querySelectorAll) {
      reveal(event.target);
    }
  });
  // Leaving the page ends the reading.
  window.addEventListener("pagehide", stop);
  reveal(document);
})();
