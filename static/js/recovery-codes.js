// Print and copy buttons of the recovery codes page, wired here because pages carry no inline script.
(function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
  document.querySelectorAll("[data-copy-codes]").forEach(function (button) {
    button.addEventListener("click", function () {
      const list = document.querySelector(button.dataset.copyCodes);
      const codes = Array.from(list.querySelectorAll("code"), function (code) {
        return code.textContent;
      });
      navigator.clipboard.writeText(codes.join("\n")).then(function () {
        button.textContent = button.dataset.copied;
      });
    });
  });
})();
