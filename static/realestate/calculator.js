// The mortgage calculator: show the rate and term fields of the chosen loan only.
(function () {
  "use strict";
  function sync(select) {
    var type = select.value;
    select.form.querySelectorAll("[data-part]").forEach(function (el) {
      var part = el.getAttribute("data-part");
      var shown = part === "combined" ? type === "combined" : type === part || type === "combined";
      el.hidden = !shown;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-loan-type]").forEach(function (select) {
      sync(select);
      select.addEventListener("change", function () {
        sync(select);
      });
    });
  });
})();
