// The session's chart on the form: the diagrams of the chosen areas, where a tap ticks a zone's
// checkbox (the list stays the form's truth) or, in points mode, places an injection point of the
// chosen product, kept as JSON in the form's hidden "points" field.
(function () {
  const root = document.getElementById("chart-entry");
  const field = document.getElementById("id_session-points");
  if (!root || !field) return;
  // The page loads Django's JavaScript catalogue first (javascript_catalog): gettext and interpolate.
  const SVG = "http://www.w3.org/2000/svg";
  const diagrams = document.getElementById("chart-diagrams");
  const tools = document.getElementById("chart-tools");
  const pointsBox = document.getElementById("chart-points");
  const list = document.getElementById("chart-point-list");
  const none = document.getElementById("chart-no-points");
  const status = document.getElementById("chart-status");
  const productSelect = document.getElementById("chart-product");
  const volumeInput = document.getElementById("chart-volume");
  const zoneBoxes = {};
  root.querySelectorAll('input[name="session-zones"]').forEach(function (box) { zoneBoxes[box.value] = box; });

  let points = [];
  try {
    points = field.value ? JSON.parse(field.value) : [];
  } catch (error) {
    points = [];
  }
  if (!Array.isArray(points)) points = [];

  function labelOf(input) {
    const label = document.querySelector('label[for="' + input.id + '"]');
    return label ? label.textContent.trim() : input.value;
  }

  function chosenAreas() {
    return Array.from(document.querySelectorAll('input[name="session-areas"]:checked')).map(function (box) { return box.value; });
  }

  function mode() {
    const chosen = root.querySelector('input[name="chart-mode"]:checked');
    return chosen ? chosen.value : "zones";
  }

  // The product rows still on the form, by the index in their field names (how a point names its row).
  function productRows() {
    return Array.from(document.querySelectorAll("#product-rows .product-row")).map(function (row) {
      const batch = row.querySelector('select[name$="-batch"]');
      if (!batch) return null;
      const removed = row.querySelector('input[name$="-DELETE"]');
      if (removed && removed.checked) return null;
      const index = parseInt(batch.name.match(/products-(\d+)-batch/)[1], 10);
      const option = batch.selectedIndex > 0 ? batch.options[batch.selectedIndex] : null;
      const volume = row.querySelector('input[name$="-volume_ml"]');
      return {
        index: index,
        label: interpolate(gettext("Product %s"), [index + 1]) + (option ? " – " + option.text : ""),
        volume: volume ? parseFloat(volume.value.replace(",", ".")) : NaN,
      };
    }).filter(Boolean);
  }

  function refreshProducts() {
    const chosen = productSelect.value;
    productSelect.replaceChildren();
    productRows().forEach(function (row) {
      productSelect.append(new Option(row.label, String(row.index), false, String(row.index) === chosen));
    });
  }

  function productLabel(index) {
    const row = productRows().find(function (candidate) { return candidate.index === index; });
    return row ? row.label : interpolate(gettext("Product %s (removed)"), [index + 1]);
  }

  function diagramLabel(code) {
    const caption = diagrams.querySelector('[data-diagram="' + code + '"] figcaption');
    return caption ? caption.textContent.trim() : code;
  }

  function showChosenAreas() {
    const areas = chosenAreas();
    diagrams.querySelectorAll(".chart-diagram").forEach(function (figure) {
      figure.hidden = !figure.dataset.areas.split(" ").some(function (area) { return areas.includes(area); });
    });
    root.querySelectorAll(".chart-zone-group").forEach(function (group) {
      group.hidden = !areas.includes(group.dataset.area);
    });
  }

  function paintZones() {
    diagrams.querySelectorAll(".chart-zone[data-zone]").forEach(function (zone) {
      const box = zoneBoxes[zone.dataset.zone];
      zone.classList.toggle("treated", Boolean(box && box.checked));
    });
  }

  function drawPoints() {
    diagrams.querySelectorAll("svg").forEach(function (svg) {
      const figure = svg.closest(".chart-diagram");
      let layer = svg.querySelector("g.chart-points");
      if (!layer) {
        layer = document.createElementNS(SVG, "g");
        layer.setAttribute("class", "chart-points");
        svg.append(layer);
      }
      layer.replaceChildren();
      const box = svg.viewBox.baseVal;
      points.forEach(function (point, number) {
        if (point.diagram !== figure.dataset.diagram) return;
        const dot = document.createElementNS(SVG, "circle");
        dot.setAttribute("class", "chart-point");
        dot.setAttribute("cx", String(box.x + parseFloat(point.x) * box.width));
        dot.setAttribute("cy", String(box.y + parseFloat(point.y) * box.height));
        dot.setAttribute("r", String(box.width * 0.015));
        const mark = document.createElementNS(SVG, "text");
        mark.setAttribute("class", "chart-point-number");
        mark.setAttribute("x", String(box.x + parseFloat(point.x) * box.width + box.width * 0.02));
        mark.setAttribute("y", String(box.y + parseFloat(point.y) * box.height - box.width * 0.02));
        mark.setAttribute("font-size", String(box.width * 0.04));
        mark.textContent = String(number + 1);
        layer.append(dot, mark);
      });
    });
  }

  function listPoints() {
    list.replaceChildren();
    none.hidden = points.length > 0;
    points.forEach(function (point, number) {
      const item = document.createElement("li");
      const zone = zoneBoxes[point.zone] ? labelOf(zoneBoxes[point.zone]) : point.zone;
      const text = document.createElement("span");
      text.textContent = interpolate(gettext("%s (%s): %s mL of %s"), [zone, diagramLabel(point.diagram), point.volume_ml, productLabel(point.product)]);
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn btn-outline-danger btn-sm";
      remove.textContent = gettext("Remove");
      remove.setAttribute("aria-label", interpolate(gettext("Remove point %s"), [number + 1]));
      remove.addEventListener("click", function () {
        points.splice(number, 1);
        save();
        status.textContent = interpolate(gettext("Point %s removed."), [number + 1]);
      });
      item.append(text, " ", remove);
      list.append(item);
    });
    productRows().forEach(function (row) {
      const placed = points.filter(function (point) { return point.product === row.index; });
      if (!placed.length) return;
      const total = placed.reduce(function (sum, point) { return sum + Math.round(parseFloat(point.volume_ml) * 100); }, 0) / 100;
      const item = document.createElement("li");
      item.className = "chart-point-total" + (total === row.volume ? "" : " text-danger-emphasis fw-semibold");
      item.textContent = interpolate(gettext("%s: the points add up to %s mL of the row's %s mL."), [row.label, total, isNaN(row.volume) ? "?" : row.volume]);
      list.append(item);
    });
  }

  function save() {
    field.value = points.length ? JSON.stringify(points) : "";
    drawPoints();
    listPoints();
  }

  function placePoint(zone, event) {
    const svg = zone.ownerSVGElement;
    const figure = svg.closest(".chart-diagram");
    refreshProducts();
    if (!productSelect.value) {
      status.textContent = gettext("Choose a batch for a product row first: a point says which product went there.");
      return;
    }
    const volume = parseFloat(volumeInput.value);
    if (!(volume > 0) || volume >= 10000) {
      status.textContent = gettext("Type the volume at this point first.");
      volumeInput.focus();
      return;
    }
    const tap = svg.createSVGPoint();
    tap.x = event.clientX;
    tap.y = event.clientY;
    const at = tap.matrixTransform(svg.getScreenCTM().inverse());
    const box = svg.viewBox.baseVal;
    const across = Math.min(1, Math.max(0, (at.x - box.x) / box.width));
    const down = Math.min(1, Math.max(0, (at.y - box.y) / box.height));
    const code = zone.dataset.zone;
    // A point charts its zone.
    if (zoneBoxes[code] && !zoneBoxes[code].checked) {
      zoneBoxes[code].checked = true;
      paintZones();
    }
    points.push({
      diagram: figure.dataset.diagram,
      zone: code,
      x: across.toFixed(4),
      y: down.toFixed(4),
      product: parseInt(productSelect.value, 10),
      volume_ml: volume.toFixed(2),
    });
    save();
    status.textContent = interpolate(gettext("Point %s placed on %s."), [points.length, labelOf(zoneBoxes[code])]);
  }

  diagrams.addEventListener("click", function (event) {
    const zone = event.target.closest(".chart-zone[data-zone]");
    if (!zone || !zoneBoxes[zone.dataset.zone]) return;
    if (mode() === "points") {
      placePoint(zone, event);
      return;
    }
    const box = zoneBoxes[zone.dataset.zone];
    box.checked = !box.checked;
    paintZones();
    status.textContent = interpolate(box.checked ? gettext("%s charted.") : gettext("%s no longer charted."), [labelOf(box)]);
  });
  root.addEventListener("change", function (event) {
    if (event.target.name === "session-zones") paintZones();
  });
  document.addEventListener("change", function (event) {
    if (event.target.name === "session-areas") showChosenAreas();
    if (event.target.closest && event.target.closest("#product-rows")) {
      refreshProducts();
      listPoints();
    }
  });
  productSelect.addEventListener("focus", refreshProducts);

  tools.hidden = false;
  diagrams.hidden = false;
  pointsBox.hidden = false;
  showChosenAreas();
  paintZones();
  refreshProducts();
  save();
})();
