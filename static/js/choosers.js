// Type-ahead choosers (Tom Select) for the selects that name a search URL: the page carries only
// the chosen option, and the others are fetched from the clinic-scoped search as staff type.
(function () {
  if (typeof TomSelect === "undefined") return;

  function chooser(select) {
    if (select.tomselect || !select.dataset.searchUrl) return;
    new TomSelect(select, {
      valueField: "value",
      labelField: "text",
      // Every word typed is in the label of what the server found, so filtering on the label keeps
      // exactly its answers, best match first, and drops an option no longer matching.
      searchField: ["text"],
      maxOptions: 50,
      preload: "focus",
      loadThrottle: 250,
      load: function (query, callback) {
        const self = this;
        const url = new URL(select.dataset.searchUrl, window.location.href);
        url.searchParams.set("q", query.slice(0, 100));
        // A batch is looked for in the chosen patient's clinic, on its clock.
        const patient = select.form && select.form.elements["session-patient"];
        if (select !== patient && patient && patient.value) url.searchParams.set("patient", patient.value);
        fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            // Only the answer to what is typed now is offered, and nothing from earlier searches:
            // the first option, which Enter picks, must be a match for the words typed.
            if (self.control_input.value !== query) return callback();
            self.clearOptions();
            callback(data.results);
          })
          .catch(function () {
            callback();
          });
      },
      render: {
        no_results: function (data, escape) {
          return (
            '<div class="no-results">' + escape(gettext("Nothing found: check the spelling, or type fewer letters.")) + "</div>"
          );
        },
      },
    });
    // The type-ahead takes the label over: the select it fills (out of the tab order) is left out of
    // what a screen reader announces, so one field is heard, not two.
    select.setAttribute("aria-hidden", "true");
  }

  document.querySelectorAll("select[data-search-url]").forEach(chooser);
  // Batches found for one patient's clinic are forgotten when another patient is chosen.
  const patient = document.getElementById("id_session-patient");
  if (patient) {
    patient.addEventListener("change", function () {
      document.querySelectorAll("select[data-search-url]").forEach(function (select) {
        if (select !== patient && select.tomselect) select.tomselect.clearOptions();
      });
    });
  }
  const rows = document.getElementById("product-rows");
  if (rows) {
    new MutationObserver(function () {
      rows.querySelectorAll("select[data-search-url]").forEach(chooser);
    }).observe(rows, { childList: true });
  }
})();
