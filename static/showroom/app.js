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
})();
