// Adds a product row to the session form from the server-rendered empty form.
(function () {
  const button = document.getElementById("add-product");
  const template = document.getElementById("product-row-template");
  const rows = document.getElementById("product-rows");
  const total = document.getElementById("id_products-TOTAL_FORMS");
  if (!button || !template || !rows || !total) return;
  button.addEventListener("click", function () {
    const index = parseInt(total.value, 10);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
  });
})();
