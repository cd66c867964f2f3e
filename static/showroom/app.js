// Showroom page behaviour: toasts from HX-Trigger events, row links, phone formatting.
(function () {
  "use strict";
  function toast(message, level) {
    var box = document.getElementById("toasts");
    if (!box || !message) { return; }
    var el = document.createElement("div");
    el.className = "toast align-items-center text-bg-" + (level || "success") + " border-0";
    el.setAttribute("role", "status");
    var body = document.createElement("div");
    body.className = "d-flex";
    var text = document.createElement("div");
    text.className = "toast-body";
    text.textContent = message;
    body.appendChild(text);
    el.appendChild(body);
    box.appendChild(el);
    new bootstrap.Toast(el, { delay: 4000 }).show();
    el.addEventListener("hidden.bs.toast", function () { el.remove(); });
  }
  document.body.addEventListener("showToast", function (evt) {
    toast(evt.detail.message, evt.detail.level);
  });
  document.body.addEventListener("htmx:responseError", function (evt) {
    var message = evt.detail.xhr.statusText;
    try { message = JSON.parse(evt.detail.xhr.responseText).detail || message; } catch (e) { /* HTML body */ }
    toast(message, "danger");
  });
  document.addEventListener("click", function (evt) {
    var row = evt.target.closest("tr[data-href]");
    if (row && !evt.target.closest("a, button, input")) { window.location = row.dataset.href; }
  });
  document.addEventListener("keydown", function (evt) {
    var row = evt.target.closest && evt.target.closest("tr[data-href]");
    if (row && evt.key === "Enter") { window.location = row.dataset.href; }
  });
  document.addEventListener("input", function (evt) {
    var el = evt.target;
    if (el.dataset && el.dataset.format === "cn-mobile") {
      var digits = el.value.replace(/\D/g, "").slice(0, 11);
      var parts = [digits.slice(0, 3), digits.slice(3, 7), digits.slice(7)].filter(Boolean);
      el.value = parts.join(" ");
    }
  });
  // Page behaviour lives here, not in inline handlers: the Content-Security-Policy allows only
  // scripts from our own origin (no inline code, no eval), so templates mark elements instead.
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      evt.preventDefault();
      evt.stopImmediatePropagation();
      return;
    }
    if (form.dataset.promptReason) {
      var reason = window.prompt(form.dataset.promptReason);
      if (!reason) {
        evt.preventDefault();
        evt.stopImmediatePropagation();
        return;
      }
      form.elements.reason.value = reason;
    }
  }, true);
  document.addEventListener("click", function (evt) {
    var el = evt.target.closest && evt.target.closest("button[data-confirm], a[data-confirm], input[data-confirm]");
    if (el && !window.confirm(el.dataset.confirm)) {
      evt.preventDefault();
      evt.stopImmediatePropagation();
      return;
    }
    var back = evt.target.closest && evt.target.closest("[data-history-back]");
    if (back) {
      evt.preventDefault();
      window.history.back();
    }
  }, true);
  document.addEventListener("change", function (evt) {
    var el = evt.target;
    if (el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) {
      if (el.form.requestSubmit) { el.form.requestSubmit(); } else { el.form.submit(); }
    }
  });
  // A refusal (400 field messages, 403, 409 a lost race) is an answer to show in place, not an error.
  document.body.addEventListener("htmx:beforeSwap", function (evt) {
    var holder = (evt.target.closest && evt.target.closest("[data-swap-errors]")) ||
      (evt.detail.target && evt.detail.target.closest && evt.detail.target.closest("[data-swap-errors]"));
    if (!holder) { return; }
    var statuses = holder.dataset.swapErrors.split(/\s+/);
    if (statuses.indexOf(String(evt.detail.xhr.status)) !== -1) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".modal[data-show-on-load]").forEach(function (dialog) {
      new bootstrap.Modal(dialog).show();
    });
  });
})();
