// Scanning a product's box; the words come from Django's JavaScript catalogue (gettext). The camera's picture is decoded here (zxing-wasm, vendored, its
// WebAssembly from this site); a handheld scanner types the code into the same box and presses
// Enter. The server reads the GS1 label and answers what the box is to the clinic.
(function () {
  const script = document.currentScript;
  // HIBC codes are often Code 39: its standard form only, as full ASCII would read HIBC's "+A" as "a".
  const FORMATS = ["DataMatrix", "Code128", "QRCode", "Code39Std"];
  // The group separator that ends a lot. A handheld scanner types it as Ctrl+] or as Alt+029 on the
  // numeric keypad, and a text box would drop both: the box gets the character itself.
  const SEPARATOR = "\x1d";
  let altDigits = "";
  let wasmReady = false;

  function prepareDecoder() {
    if (wasmReady || typeof ZXingWASM === "undefined") return;
    ZXingWASM.prepareZXingModule({
      overrides: {
        locateFile: function (path, prefix) {
          return path.endsWith(".wasm") ? script.dataset.wasm : prefix + path;
        },
      },
    });
    wasmReady = true;
  }

  function say(box, text, level) {
    const feedback = box.querySelector(".scan-feedback");
    feedback.textContent = text;
    feedback.className = "scan-feedback small mt-1 text-" + (level || "body-secondary");
  }

  function sessionFields(box) {
    const form = box.closest("form");
    const patient = form.elements["session-patient"];
    const when = form.elements["session-performed_at"];
    return {
      patient: patient && patient.value ? patient.value : "",
      performed_at: when && when.value ? when.value : "",
    };
  }

  function chooseBatch(box, batch) {
    const select = box.closest(".product-row").querySelector("select");
    if (select.tomselect) {
      select.tomselect.addOption(batch);
      select.tomselect.setValue(batch.value);
    } else {
      select.add(new Option(batch.text, batch.value, true, true));
    }
  }

  function registerButton(box, code, answer) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm btn-outline-primary mt-1 scan-register";
    button.textContent = interpolate(gettext("Register lot %(lot)s (expires %(expiry)s) and use it"), answer, true);
    button.addEventListener("click", function () {
      const form = box.closest("form");
      const body = new FormData();
      body.append("code", code);
      const fields = sessionFields(box);
      body.append("patient", fields.patient);
      body.append("performed_at", fields.performed_at);
      body.append("csrfmiddlewaretoken", form.elements["csrfmiddlewaretoken"].value);
      button.disabled = true;
      fetch(box.dataset.registerUrl, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) {
          return response.json();
        })
        .then(function (again) {
          button.remove();
          showRowAnswer(box, code, again);
        })
        .catch(function () {
          button.disabled = false;
          say(box, gettext("The box could not be looked up: try again."), "danger");
        });
    });
    box.querySelector(".scan-feedback").after(button);
  }

  function showRowAnswer(box, code, answer) {
    box.querySelectorAll(".scan-register").forEach(function (old) {
      old.remove();
    });
    if (answer.outcome === "batch") {
      chooseBatch(box, answer.batch);
      say(box, answer.warning ? answer.message + " " + answer.warning : answer.message, answer.warning ? "warning-emphasis" : "success");
      return;
    }
    say(box, answer.message, answer.can_register ? "warning-emphasis" : "danger");
    if (answer.can_register) registerButton(box, code, answer);
  }

  function lookUp(box, code) {
    code = code.trim();
    if (!code) return;
    const url = new URL(box.dataset.scanUrl, window.location.href);
    url.searchParams.set("code", code);
    if (box.dataset.scanKind === "row") {
      const fields = sessionFields(box);
      url.searchParams.set("patient", fields.patient);
      url.searchParams.set("performed_at", fields.performed_at);
    }
    say(box, gettext("Looking the box up…"));
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.json();
      })
      .then(function (answer) {
        if (box.dataset.scanKind === "row") return showRowAnswer(box, code, answer);
        const form = box.closest("form");
        if (answer.outcome === "label") {
          form.elements["lot_number"].value = answer.lot;
          if (answer.expiry) form.elements["expiry_date"].value = answer.expiry;
          say(box, answer.message, "success");
        } else {
          say(box, answer.message, "danger");
        }
      })
      .catch(function () {
        say(box, gettext("The box could not be looked up: try again."), "danger");
      });
  }

  function scanned(box, code) {
    const input = box.querySelector(".scan-code");
    input.value = code;
    if (box.dataset.scanKind === "receive") {
      input.form.requestSubmit();
    } else {
      lookUp(box, code);
    }
  }

  function stopCamera(box) {
    const view = box.querySelector(".scan-camera-view");
    if (!view) return;
    if (view.stream) view.stream.getTracks().forEach(function (track) {
      track.stop();
    });
    view.remove();
  }

  function startCamera(box) {
    if (box.querySelector(".scan-camera-view")) return stopCamera(box);
    prepareDecoder();
    const view = document.createElement("div");
    view.className = "scan-camera-view mt-2";
    const video = document.createElement("video");
    video.setAttribute("playsinline", "");
    video.muted = true;
    video.className = "scan-video";
    const stop = document.createElement("button");
    stop.type = "button";
    stop.className = "btn btn-sm btn-outline-secondary mt-1";
    stop.textContent = gettext("Stop the camera");
    stop.addEventListener("click", function () {
      stopCamera(box);
    });
    view.append(video, stop);
    box.append(view);
    say(box, gettext("Point the camera at the barcode on the box."));
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
      .then(function (stream) {
        view.stream = stream;
        video.srcObject = stream;
        return video.play();
      })
      .then(function () {
        const canvas = document.createElement("canvas");
        const context = canvas.getContext("2d", { willReadFrequently: true });
        function frame() {
          if (!view.isConnected) return;
          if (video.videoWidth) {
            canvas.width = video.videoWidth;
            canvas.height = video.videoHeight;
            context.drawImage(video, 0, 0);
            const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
            // The raw data with its separators, as a handheld scanner sends it, after the symbology
            // identifier (]d2, ]Q1...): the bracketed text zxing gives by default cannot tell a lot's own
            // brackets from an element's.
            const options = { formats: FORMATS, textMode: "Plain", tryHarder: true, maxNumberOfSymbols: 1 };
            ZXingWASM.readBarcodes(pixels, options)
              .then(function (results) {
                const found = results.find(function (result) {
                  return result.isValid && result.text;
                });
                if (found && view.isConnected) {
                  stopCamera(box);
                  scanned(box, (found.symbologyIdentifier || "") + found.text);
                } else {
                  setTimeout(frame, 200);
                }
              })
              .catch(function () {
                setTimeout(frame, 500);
              });
          } else {
            setTimeout(frame, 200);
          }
        }
        frame();
      })
      .catch(function () {
        stopCamera(box);
        say(box, gettext("No camera could be opened: scan with a handheld scanner or type the code."), "danger");
      });
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest(".scan-camera");
    if (button) startCamera(button.closest(".scan-box"));
  });
  function typeSeparator(input) {
    input.setRangeText(SEPARATOR, input.selectionStart, input.selectionEnd, "end");
  }

  function scanCode(event) {
    return event.target.closest && event.target.closest(".scan-code");
  }

  document.addEventListener("keydown", function (event) {
    const input = scanCode(event);
    if (!input) return;
    // Not AltGr, which browsers report as Ctrl and Alt, and which types "]" on a French keyboard.
    if (event.ctrlKey && !event.altKey && (event.code === "BracketRight" || event.key === "]")) {
      event.preventDefault();
      typeSeparator(input);
      return;
    }
    if (event.altKey && /^Numpad[0-9]$/.test(event.code)) {
      altDigits += event.code.slice(-1);
      return;
    }
    if (event.key !== "Enter") return;
    const box = input.closest(".scan-box");
    // A handheld scanner ends with Enter: it looks the box up, and never sends the session form.
    if (box.dataset.scanKind !== "receive") {
      event.preventDefault();
      lookUp(box, input.value);
    }
  });
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Alt") return;
    const input = scanCode(event);
    if (input && altDigits && Number(altDigits) === 29) typeSeparator(input);
    altDigits = "";
  });
  // Windows may then type the character too (Alt+29 as "↔", from its OEM code page): it is already in.
  document.addEventListener("beforeinput", function (event) {
    if (scanCode(event) && (event.data === SEPARATOR || event.data === "\u2194")) event.preventDefault();
  });
  if (!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia) || typeof ZXingWASM === "undefined") {
    document.querySelectorAll(".scan-camera").forEach(function (button) {
      button.hidden = true;
    });
  }
})();
