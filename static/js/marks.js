// Where a reaction is, marked on a drawing. Each question's list of zones stays the answer's truth
// (it works without this script, by keyboard and screen reader); a tap on a drawing chooses the
// zone there and keeps where it was tapped in the hidden field beside it ("<diagram> <x> <y>",
// 0 to 1 across and down). One set of drawings serves every question: it moves under the one being
// marked. Its words come from the page, in the reader's language.
(function () {
  const panel = document.getElementById("where-chart");
  if (!panel) return;
  const SVG = "http://www.w3.org/2000/svg";
  const words = panel.dataset;
  const heading = document.getElementById("where-chart-heading");
  const status = panel.querySelector(".where-status");
  const blocks = Array.from(document.querySelectorAll(".where-block"));
  let active = null;

  // A check-in page's drawings come apart from it, the same for every patient reading its language and
  // kept by the browser: each is put in its place here, the zones its diagram names as treated shaded.
  function shade(svg, treated) {
    treated.forEach(function (code) {
      svg.querySelectorAll('[data-zone="' + code + '"]').forEach(function (zone) {
        const label = words.treatedLabel.replace("%s", zone.getAttribute("aria-label"));
        zone.classList.add("treated");
        zone.setAttribute("aria-label", label);
        const title = zone.querySelector("title");
        if (title) title.textContent = label;
      });
    });
  }

  if (words.drawings) {
    fetch(words.drawings, { credentials: "omit" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (text) {
        const drawings = new DOMParser().parseFromString(text, "text/html");
        panel.querySelectorAll(".where-diagram").forEach(function (figure) {
          const drawing = drawings.querySelector('[data-diagram="' + figure.dataset.diagram + '"] svg');
          if (!drawing) return;
          const svg = document.importNode(drawing, true);
          shade(svg, figure.dataset.treated.split(" ").filter(Boolean));
          figure.querySelector(".chart-canvas").append(svg);
        });
        draw();
      })
      .catch(function () {
        panel.querySelector(".where-unavailable").hidden = false;
      });
  }

  function zoneOf(block) { return block.querySelector("select.where-zone"); }
  function pointOf(block) { return block.querySelector("input.where-point"); }
  function say(template, value) { status.textContent = template.replace("%s", value); }

  // A reaction answered present, a red flag answered yes or ticked: only then is there a place to mark.
  function answered(block) {
    if (block.dataset.answerBox) {
      const box = document.getElementById(block.dataset.answerBox);
      return Boolean(box && box.checked);
    }
    if (!block.dataset.answer) return true;
    const chosen = document.querySelector('input[name="' + block.dataset.answer + '"]:checked');
    return Boolean(chosen) && chosen.value !== "0" && chosen.value !== "no";
  }

  function zoneLabel(block) {
    const select = zoneOf(block);
    return select.selectedIndex > 0 ? select.options[select.selectedIndex].text : "";
  }

  function draw() {
    panel.querySelectorAll(".where-mark").forEach(function (mark) { mark.remove(); });
    panel.querySelectorAll(".chart-zone.marked").forEach(function (zone) { zone.classList.remove("marked"); });
    if (!active) return;
    const code = zoneOf(active).value;
    if (!code) return;
    const tapped = pointOf(active).value.split(" ");
    panel.querySelectorAll('[data-zone="' + code + '"]').forEach(function (zone) { zone.classList.add("marked"); });
    if (tapped.length !== 3) return;
    const figure = panel.querySelector('.where-diagram[data-diagram="' + tapped[0] + '"]');
    if (!figure) return;
    figure.hidden = false;
    const svg = figure.querySelector("svg");
    if (!svg) return;  // Its drawing is still on its way: drawn again when it comes.
    const box = svg.viewBox.baseVal;
    const dot = document.createElementNS(SVG, "circle");
    dot.setAttribute("class", "where-mark");
    dot.setAttribute("cx", String(box.x + parseFloat(tapped[1]) * box.width));
    dot.setAttribute("cy", String(box.y + parseFloat(tapped[2]) * box.height));
    dot.setAttribute("r", String(box.width * 0.03));
    svg.append(dot);
  }

  function open(block) {
    active = block;
    const anchor = block.closest(".where-anchor") || block;
    anchor.after(panel);
    heading.textContent = words.heading.replace("%s", block.dataset.label);
    status.textContent = zoneLabel(block) ? words.marked.replace("%s", zoneLabel(block)) : "";
    panel.hidden = false;
    draw();
    panel.focus();
  }

  function close() {
    const block = active;
    panel.hidden = true;
    active = null;
    draw();
    if (block) block.querySelector(".where-open").focus();
  }

  function showOrHide(block) {
    const shown = answered(block);
    block.hidden = !shown;
    // An answer taken back takes its place with it, so a mark never stands for a reaction not there.
    if (!shown && (zoneOf(block).value || pointOf(block).value)) {
      zoneOf(block).value = "";
      pointOf(block).value = "";
      if (active === block) close();
    }
  }

  panel.addEventListener("click", function (event) {
    if (!active) return;
    if (event.target.closest(".where-done")) { close(); return; }
    if (event.target.closest(".where-others")) {
      panel.querySelectorAll(".where-diagram[data-other]").forEach(function (figure) { figure.hidden = false; });
      event.target.closest(".where-others").hidden = true;
      return;
    }
    if (event.target.closest(".where-clear")) {
      zoneOf(active).value = "";
      pointOf(active).value = "";
      draw();
      status.textContent = words.cleared;
      return;
    }
    const svg = event.target.closest("svg");
    if (!svg) return;
    const zone = event.target.closest("[data-zone]");
    const select = zoneOf(active);
    if (!zone || !select.querySelector('option[value="' + zone.dataset.zone + '"]')) {
      status.textContent = words.offTheSkin;
      return;
    }
    const tap = svg.createSVGPoint();
    tap.x = event.clientX;
    tap.y = event.clientY;
    const at = tap.matrixTransform(svg.getScreenCTM().inverse());
    const box = svg.viewBox.baseVal;
    const across = Math.min(1, Math.max(0, (at.x - box.x) / box.width));
    const down = Math.min(1, Math.max(0, (at.y - box.y) / box.height));
    select.value = zone.dataset.zone;
    pointOf(active).value = [svg.closest(".where-diagram").dataset.diagram, across.toFixed(4), down.toFixed(4)].join(" ");
    draw();
    say(words.marked, zoneLabel(active));
  });

  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") close();
  });

  blocks.forEach(function (block) {
    const button = block.querySelector(".where-open");
    button.hidden = false;
    button.addEventListener("click", function () { open(block); });
    // A zone chosen from the list is not where the drawing was tapped: the tap is let go.
    zoneOf(block).addEventListener("change", function () {
      pointOf(block).value = "";
      if (active === block) draw();
    });
    showOrHide(block);
  });
  document.addEventListener("change", function (event) {
    const name = event.target.name;
    blocks.forEach(function (block) {
      if (block.dataset.answer === name || block.dataset.answerBox === event.target.id) showOrHide(block);
    });
  });
})();
