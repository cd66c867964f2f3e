/* A signature pad in plain JavaScript: draw with a finger, stylus or mouse on the canvas; the
   drawing is written to the hidden "signature" input as a PNG data URL when a stroke ends.
   "Clear" empties both. No library, no network. */
(function () {
  "use strict";

  function setUp(pad) {
    var canvas = pad.querySelector("canvas");
    var input = pad.querySelector("input[name=signature]");
    var clear = pad.querySelector("[data-signature-clear]");
    var ctx = canvas.getContext("2d");
    var drawing = false;
    var drawn = false;

    ctx.lineWidth = 2.5;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#111";

    function point(event) {
      var rect = canvas.getBoundingClientRect();
      return {
        x: ((event.clientX - rect.left) * canvas.width) / rect.width,
        y: ((event.clientY - rect.top) * canvas.height) / rect.height,
      };
    }

    canvas.addEventListener("pointerdown", function (event) {
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      var p = point(event);
      ctx.beginPath();
      ctx.moveTo(p.x, p.y);
      event.preventDefault();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      var p = point(event);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
      drawn = true;
      event.preventDefault();
    });
    function end() {
      if (!drawing) return;
      drawing = false;
      if (drawn) input.value = canvas.toDataURL("image/png");
    }
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    clear.addEventListener("click", function () {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      input.value = "";
      drawn = false;
    });
  }

  document.querySelectorAll("[data-signature-pad]").forEach(setUp);
})();
