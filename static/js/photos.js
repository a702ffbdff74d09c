// Photo forms: a photo larger than the server accepts is refused as soon as it is chosen, with its
// name, rather than after minutes of sending it; and a page waiting for photos to be processed
// looks again by itself, a few times, unless more photos are being chosen.
(function () {
  "use strict";

  document.querySelectorAll("[data-max-bytes]").forEach(function (slots) {
    var limit = Number(slots.dataset.maxBytes);
    slots.querySelectorAll('input[type="file"]').forEach(function (input) {
      var feedback = input.parentElement.querySelector("[data-too-large-feedback]");
      input.addEventListener("change", function () {
        var file = input.files[0];
        var tooLarge = Boolean(file && file.size > limit);
        input.classList.toggle("is-invalid", tooLarge);
        feedback.hidden = !tooLarge;
        if (tooLarge) {
          feedback.textContent = slots.dataset.tooLarge.replace("{name}", file.name);
          input.value = "";
        }
      });
    });
  });

  var pending = document.querySelector("[data-photos-pending]");
  var looks = Number(window.sessionStorage.getItem("photos-looks") || 0);
  if (!pending) {
    window.sessionStorage.removeItem("photos-looks");
  } else if (looks < 20) {
    window.setTimeout(function () {
      var choosing = Array.prototype.some.call(document.querySelectorAll('input[type="file"]'), function (input) {
        return input.files.length > 0;
      });
      if (!choosing) {
        window.sessionStorage.setItem("photos-looks", String(looks + 1));
        window.location.reload();
      }
    }, 3000);
  }
})();
