// A Print button for pages meant to be kept on paper: the Content-Security-Policy allows no inline handler.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () {
    window.print();
  });
});
