/* Finger (or mouse) signatures on a <canvas data-signature>, saved as a PNG
   data URL in the form's hidden input named by data-signature. No library. */
(function () {
  "use strict";

  function setUp(canvas) {
    if (canvas.dataset.ready) return;
    canvas.dataset.ready = "1";
    var form = canvas.closest("form");
    var output = form.querySelector('input[name="' + canvas.dataset.signature + '"]');
    var ctx = canvas.getContext("2d");
    var drawing = false, drawn = false, last = null;

    function size() {
      var ratio = window.devicePixelRatio || 1;
      var box = canvas.getBoundingClientRect();
      canvas.width = Math.round(box.width * ratio);
      canvas.height = Math.round(box.height * ratio);
      ctx.scale(ratio, ratio);
      ctx.lineWidth = 2.5;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#111";
      drawn = false;
      output.value = "";
    }

    function point(event) {
      var box = canvas.getBoundingClientRect();
      return { x: event.clientX - box.left, y: event.clientY - box.top };
    }

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      drawing = true;
      last = point(event);
      ctx.beginPath();
      ctx.arc(last.x, last.y, 1.2, 0, 2 * Math.PI);
      ctx.fillStyle = "#111";
      ctx.fill();
      drawn = true;
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      event.preventDefault();
      var next = point(event);
      ctx.beginPath();
      ctx.moveTo(last.x, last.y);
      ctx.lineTo(next.x, next.y);
      ctx.stroke();
      last = next;
    });
    ["pointerup", "pointercancel", "pointerleave"].forEach(function (name) {
      canvas.addEventListener(name, function () {
        drawing = false;
        if (drawn) output.value = canvas.toDataURL("image/png");
      });
    });

    var clear = form.querySelector("[data-signature-clear]");
    if (clear) {
      clear.hidden = false;
      clear.addEventListener("click", function () {
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        size();
      });
    }
    form.addEventListener("submit", function () {
      output.value = drawn ? canvas.toDataURL("image/png") : "";
    });
    // A form shown again to fix another field keeps the signature already drawn.
    var kept = output.value;
    size();
    if (kept.indexOf("data:image/png;base64,") === 0) {
      var image = new Image();
      image.onload = function () {
        var box = canvas.getBoundingClientRect();
        ctx.drawImage(image, 0, 0, box.width, box.height);
        drawn = true;
        output.value = kept;
      };
      image.src = kept;
    }
  }

  function setUpAll() {
    document.querySelectorAll("canvas[data-signature]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
  // Pages reached through hx-boost swap the body in: set up new canvases too.
  document.addEventListener("htmx:after:swap", setUpAll);
})();
