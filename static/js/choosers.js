// Type-ahead choosers (Tom Select) for the selects that name a search URL: the page carries only
// the chosen option, and the others are fetched from the clinic-scoped search as staff type.
(function () {
  if (typeof TomSelect === "undefined") return;

  function chooser(select) {
    if (select.tomselect || !select.dataset.searchUrl) return;
    new TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: [],
      maxOptions: 50,
      preload: "focus",
      loadThrottle: 250,
      // The server has matched every word already: show its results as they come.
      score: function () {
        return function () {
          return 1;
        };
      },
      load: function (query, callback) {
        const url = new URL(select.dataset.searchUrl, window.location.href);
        url.searchParams.set("q", query.slice(0, 100));
        fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            callback(data.results);
          })
          .catch(function () {
            callback();
          });
      },
      render: {
        no_results: function (data, escape) {
          return '<div class="no-results">' + escape(select.dataset.noResults || "") + "</div>";
        },
      },
    });
    // The type-ahead takes the label over: the select it fills (out of the tab order) is left out of
    // what a screen reader announces, so one field is heard, not two.
    select.setAttribute("aria-hidden", "true");
  }

  document.querySelectorAll("select[data-search-url]").forEach(chooser);
  const rows = document.getElementById("product-rows");
  if (rows) {
    new MutationObserver(function () {
      rows.querySelectorAll("select[data-search-url]").forEach(chooser);
    }).observe(rows, { childList: true });
  }
})();
