// Shared by the pages: the API client (session cookie + the page's CSRF token), the item view, label buttons on
// keys 1–9 with the guideline passage of the focused label, and small formatting helpers. No dependencies.
window.Assay = (function () {
  "use strict";
  const main = document.getElementById("main");
  const csrf = main ? main.dataset.csrf : "";

  /** Calls the JSON API; returns {status, body, retryAfter} (seconds, from a 503's Retry-After, else null). A lost
   *  session sends the person to the sign-in page. */
  async function api(method, path, body) {
    const headers = { "X-CSRF-Token": csrf, "Accept": "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch("/api/v1" + path, {
      method, credentials: "same-origin", headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
    let payload = null;
    if (response.status !== 204) { try { payload = await response.json(); } catch (e) { payload = null; } }
    // Back to this page after signing in again, as the server's own redirect does.
    if (response.status === 401) {
      const here = location.pathname + location.search;
      window.location.assign(here === "/" ? "/sign-in" : "/sign-in?next=" + encodeURIComponent(here));
    }
    const retryAfter = Number(response.headers.get("Retry-After"));
    return { status: response.status, body: payload, retryAfter: retryAfter > 0 ? retryAfter : null };
  }

  /** The reason an API error gives, or a fallback with the status. */
  function reason(reply, fallback) { return (reply.body && reply.body.reason) || (fallback + " (" + reply.status + ")."); }

  // A media field: named like one, holding a URL (absolute, or a path on this server) or a list of them.
  function isMedia(key, value) {
    const isURL = (text) => typeof text === "string" && /^(https?:\/\/|\/)/.test(text);
    return /(url|image|video|media|photo|thumbnail)/i.test(key)
      && (isURL(value) || (Array.isArray(value) && value.length > 0 && value.every(isURL)));
  }

  /** Shows an item's content fields: text as text (direction from its script), media URLs as images or video. */
  // Media of an item marked `"sensitive": true` (or of every item, with the queue's blur_all_media) shows blurred
  // and in greyscale behind a button until the person chooses to look: wellbeing for people who see harm all day.
  function shield(media, label) {
    const cover = document.createElement("button");
    cover.type = "button";
    cover.className = "shield covered";
    cover.setAttribute("aria-label", "Sensitive media: " + label + ". Press to reveal (V).");
    cover.appendChild(media);
    const note = document.createElement("span");
    note.className = "shield-note";
    note.textContent = "Sensitive: click or press V to show";
    cover.appendChild(note);
    cover.addEventListener("click", () => reveal(cover));
    return cover;
  }

  function reveal(cover) {
    cover.classList.remove("covered");
    cover.setAttribute("aria-label", "Sensitive media, shown");
    const note = cover.querySelector(".shield-note");
    if (note) note.remove();
  }

  // What a reader takes in first comes first (the prompt before its responses, the query before its result); other
  // fields follow by name. JSON objects have no order, and the server's changes from one answer to the next.
  const leadingFields = ["prompt", "query", "title", "headline", "text", "body", "result", "responses"];
  function fieldOrder(a, b) {
    const rank = (key) => { const at = leadingFields.indexOf(key); return at < 0 ? leadingFields.length : at; };
    return rank(a[0]) - rank(b[0]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  }

  function renderItem(container, item, options) {
    container.replaceChildren();
    const content = item.content || {};
    const sensitive = content.sensitive === true || Boolean(options && options.blurAllMedia);
    for (const [key, value] of Object.entries(content).sort(fieldOrder)) {
      if (key === "sensitive") continue;
      const field = document.createElement("section");
      field.className = "field";
      const title = document.createElement("h2");
      title.textContent = key.replace(/_/g, " ");
      field.appendChild(title);
      if (isMedia(key, value)) {
        for (const url of Array.isArray(value) ? value : [value]) {
          let media;
          if (/\.(mp4|webm|mov)(\?|$)/i.test(url)) {
            media = document.createElement("video");
            media.src = url; media.controls = !sensitive; media.preload = "metadata";
          } else {
            media = document.createElement("img");
            media.src = url; media.alt = key.replace(/_/g, " ");
          }
          const shown = sensitive ? shield(media, key.replace(/_/g, " ")) : media;
          if (sensitive && media.tagName === "VIDEO") shown.addEventListener("click", () => { media.controls = true; }, { once: true });
          field.appendChild(shown);
        }
      } else if (key === "responses" && Array.isArray(value) && value.every((v) => typeof v === "string")) {
        // A preference item's responses, each in a block of its own, lettered as the labels are (A, B, …).
        value.forEach((response, index) => {
          const block = document.createElement("div");
          block.className = "text response";
          block.dir = "auto";
          const letter = document.createElement("strong");
          letter.textContent = String.fromCharCode(65 + index) + ". ";
          block.append(letter, response);
          field.appendChild(block);
        });
      } else {
        const text = document.createElement("div");
        text.className = "text";
        text.dir = "auto";
        text.textContent = typeof value === "string" ? value : JSON.stringify(value, null, 2);
        field.appendChild(text);
      }
      container.appendChild(field);
    }
    const meta = [item.market, item.language].filter(Boolean).join(" · ");
    if (meta) {
      const footer = document.createElement("p");
      footer.className = "status";
      footer.textContent = meta;
      container.appendChild(footer);
    }
    container.hidden = false;
  }

  /** The label buttons of a page (`.label[data-code]`), chosen by click or by their number key. */
  function labelPicker(root, multiple) {
    const buttons = Array.from(root.querySelectorAll(".label"));
    const passages = Array.from(document.querySelectorAll(".passage"));
    const empty = document.getElementById("passage-empty");
    function showPassage(code) {
      let shown = false;
      for (const passage of passages) { passage.hidden = passage.dataset.code !== code; shown = shown || !passage.hidden; }
      if (empty) {
        empty.hidden = shown;
        if (!shown) empty.textContent = "No passage for this label in the current guidelines.";
      }
    }
    function choose(button) {
      if (multiple) {
        const pressing = button.getAttribute("aria-pressed") !== "true";
        button.setAttribute("aria-pressed", pressing ? "true" : "false");
        // A label that stands alone ("none") and the others exclude each other: choosing one lets go of the rest.
        if (pressing) {
          for (const other of buttons) {
            if (other !== button && (button.dataset.exclusive === "true" || other.dataset.exclusive === "true")) {
              other.setAttribute("aria-pressed", "false");
            }
          }
        }
      } else {
        for (const other of buttons) other.setAttribute("aria-pressed", other === button ? "true" : "false");
      }
      showPassage(button.dataset.code);
    }
    for (const button of buttons) {
      button.addEventListener("click", () => choose(button));
      button.addEventListener("focus", () => showPassage(button.dataset.code));
    }
    return {
      buttons,
      chosen: () => buttons.filter((b) => b.getAttribute("aria-pressed") === "true").map((b) => b.dataset.code),
      clear: () => { for (const button of buttons) button.setAttribute("aria-pressed", "false"); },
      /** Chooses the label on a number key; returns whether the key was one. */
      key(key) {
        const button = buttons.find((b) => b.dataset.key === key);
        if (!button) return false;
        button.focus();
        choose(button);
        return true;
      },
    };
  }

  /** Labels as the page's label buttons name them ("Spam or scam" for `spam`), joined; a code without a button stays as it is. */
  function labelNames(codes) {
    return (codes || []).map((code) => {
      const button = document.querySelector('.label[data-code="' + CSS.escape(code) + '"]');
      if (!button) return code;
      const copy = button.cloneNode(true);
      copy.querySelectorAll("kbd").forEach((key) => key.remove());
      return copy.textContent.trim();
    }).join(", ");
  }

  /** m:ss */
  function clock(seconds) { return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0"); }

  /** Whether a key event should be left to a text field. */
  function typing(event) { return event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLInputElement; }

  /** Whether Enter belongs to the focused control: a link, a disclosure, a list, a button that is not a label.
   * The screens' page-wide Enter (submit, decide, answer) must leave it alone, or a keyboard user could not follow
   * the Queues link or sign out: Enter there submitted the judgment instead. */
  function ownsEnter(event) {
    return event.target instanceof Element
      && event.target.closest("a[href], summary, select, button:not(.label)") !== null;
  }

  /** Shows every covered media of `container` (the V key). */
  function revealAll(container) {
    container.querySelectorAll(".shield.covered").forEach(reveal);
  }

  return { api, reason, renderItem, revealAll, labelPicker, labelNames, clock, typing, ownsEnter };
})();
