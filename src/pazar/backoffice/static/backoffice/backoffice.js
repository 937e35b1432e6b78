/* Pazar's back office: small behaviours shared by the admin and the Seller Center panel.
   - a form with data-confirm asks before it is sent (revoking a token, …);
   - a button with data-copy="#id" copies that element's text and says so;
   - the theme's icons (Material Symbols ligatures) are hidden from screen readers, which
     would otherwise read their names aloud ("chevron_right"). */
(function () {
  "use strict";

  function hideIconNames(root) {
    root.querySelectorAll(".material-symbols-outlined, .material-symbols-rounded").forEach(function (icon) {
      icon.setAttribute("aria-hidden", "true");
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) return;
    var text = source.textContent.trim();
    var done = function () {
      var status = document.getElementById(button.getAttribute("aria-describedby") || "");
      if (status) status.textContent = button.getAttribute("data-copied") || "Copied";
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {});
    } else {
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      try { document.execCommand("copy"); done(); } catch (e) { /* selected for the visitor */ }
    }
  });

  function ready() {
    hideIconNames(document);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) hideIconNames(node.parentNode || node);
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
