// The annotator workbench: next item, labels by keyboard (1–9, Enter, S), timer, lease countdown, day tally.
// It calls the JSON API with the session cookie and the page's CSRF token; the server decides everything.
(function () {
  "use strict";
  const root = document.getElementById("workbench");
  if (!root) return;
  const queue = root.dataset.queue;
  const multiple = root.dataset.multiple === "true";
  const rationaleRequired = root.dataset.rationaleRequired === "true";
  const csrf = document.getElementById("main").dataset.csrf;
  const statusLine = document.getElementById("status");
  const itemView = document.getElementById("item");
  const rationale = document.getElementById("rationale");
  const buttons = Array.from(document.querySelectorAll("#labels .label"));
  const passages = Array.from(document.querySelectorAll(".passage"));
  const passageEmpty = document.getElementById("passage-empty");
  const el = (id) => document.getElementById(id);
  let lease = null;        // {assignment, item}
  let shownAt = 0;
  let busy = false;

  async function api(method, path, body) {
    const response = await fetch("/api/v1" + path, {
      method, credentials: "same-origin",
      headers: Object.assign({ "X-CSRF-Token": csrf, "Accept": "application/json" }, body ? { "Content-Type": "application/json" } : {}),
      body: body ? JSON.stringify(body) : undefined,
    });
    let payload = null;
    if (response.status !== 204) { try { payload = await response.json(); } catch (e) { payload = null; } }
    if (response.status === 401) { window.location.assign("/sign-in"); }
    return { status: response.status, body: payload };
  }

  function say(text) { statusLine.textContent = text; statusLine.hidden = !text; }

  function isMedia(key, value) {
    return typeof value === "string" && /^https?:\/\//.test(value) && /(url|image|video|media|photo|thumbnail)/i.test(key);
  }

  function render(item) {
    itemView.replaceChildren();
    for (const [key, value] of Object.entries(item.content || {})) {
      const field = document.createElement("section");
      field.className = "field";
      const title = document.createElement("h2");
      title.textContent = key.replace(/_/g, " ");
      field.appendChild(title);
      if (isMedia(key, value) && /\.(mp4|webm|mov)(\?|$)/i.test(value)) {
        const video = document.createElement("video");
        video.src = value; video.controls = true; video.preload = "metadata";
        field.appendChild(video);
      } else if (isMedia(key, value)) {
        const image = document.createElement("img");
        image.src = value; image.alt = key.replace(/_/g, " ");
        field.appendChild(image);
      } else {
        const text = document.createElement("div");
        text.className = "text";
        text.dir = "auto";
        text.textContent = typeof value === "string" ? value : JSON.stringify(value, null, 2);
        field.appendChild(text);
      }
      itemView.appendChild(field);
    }
    const meta = [item.market, item.language].filter(Boolean).join(" · ");
    if (meta) {
      const footer = document.createElement("p");
      footer.className = "status";
      footer.textContent = meta;
      itemView.appendChild(footer);
    }
    itemView.hidden = false;
  }

  function clearChoice() {
    for (const button of buttons) button.setAttribute("aria-pressed", "false");
    rationale.value = "";
  }

  function chosen() { return buttons.filter((b) => b.getAttribute("aria-pressed") === "true").map((b) => b.dataset.code); }

  function choose(button) {
    if (!lease) return;
    if (multiple) {
      button.setAttribute("aria-pressed", button.getAttribute("aria-pressed") === "true" ? "false" : "true");
    } else {
      for (const other of buttons) other.setAttribute("aria-pressed", other === button ? "true" : "false");
    }
    showPassage(button.dataset.code);
  }

  function showPassage(code) {
    let shown = false;
    for (const passage of passages) { passage.hidden = passage.dataset.code !== code; shown = shown || !passage.hidden; }
    passageEmpty.hidden = shown;
    if (!shown) passageEmpty.textContent = "No passage for this label in the current guidelines.";
  }

  async function next() {
    busy = true;
    lease = null;
    clearChoice();
    itemView.hidden = true;
    el("item-id").textContent = "–";
    say("Loading the next item…");
    const reply = await api("POST", "/queues/" + encodeURIComponent(queue) + "/next");
    busy = false;
    if (reply.status === 204) { say("No more items for you in this queue right now."); return; }
    if (reply.status !== 200) { say((reply.body && reply.body.reason) || "Could not load an item (" + reply.status + ")."); return; }
    lease = reply.body;
    lease.expiresAt = Date.now() + lease.assignment.lease_seconds * 1000;
    shownAt = Date.now();
    el("item-id").textContent = lease.item.external_id;
    render(lease.item);
    say("");
    (buttons[0] || rationale).focus();
  }

  async function submit() {
    if (!lease || busy) return;
    const labels = chosen();
    if (labels.length === 0) { say("Choose a label first (keys 1–9)."); return; }
    if (rationaleRequired && !rationale.value.trim()) { say("This queue needs a rationale."); rationale.focus(); return; }
    busy = true;
    const reply = await api("POST", "/assignments/" + lease.assignment.id + "/judgment", {
      labels, rationale: rationale.value.trim() || undefined,
      time_spent_ms: Date.now() - shownAt, client_key: "web-" + lease.assignment.id,
    });
    busy = false;
    if (reply.status !== 200 && reply.status !== 201) { say((reply.body && reply.body.reason) || "Submit failed (" + reply.status + ")."); return; }
    el("tally").textContent = String(Number(el("tally").textContent) + 1);
    await next();
  }

  async function skip() {
    if (!lease || busy) return;
    busy = true;
    const reply = await api("POST", "/assignments/" + lease.assignment.id + "/skip");
    busy = false;
    if (reply.status >= 300) { say((reply.body && reply.body.reason) || "Skip failed (" + reply.status + ")."); return; }
    await next();
  }

  function tick() {
    if (lease) {
      const spent = Math.floor((Date.now() - shownAt) / 1000);
      el("timer").textContent = Math.floor(spent / 60) + ":" + String(spent % 60).padStart(2, "0");
      const left = Math.max(0, Math.floor((lease.expiresAt - Date.now()) / 1000));
      el("lease").textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left === 0) say("The lease expired: this item went back to the pool. Skip to get another.");
    }
  }

  for (const button of buttons) {
    button.addEventListener("click", () => choose(button));
    button.addEventListener("focus", () => showPassage(button.dataset.code));
  }
  el("submit").addEventListener("click", submit);
  el("skip").addEventListener("click", skip);
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.metaKey) return;
    const typing = event.target === rationale;
    if (event.key === "Enter" && (!typing || event.ctrlKey)) { event.preventDefault(); submit(); return; }
    if (typing || event.ctrlKey) return;
    const byKey = buttons.find((b) => b.dataset.key === event.key);
    if (byKey) { event.preventDefault(); byKey.focus(); choose(byKey); return; }
    if (event.key === "s" || event.key === "S") { event.preventDefault(); skip(); }
  });
  setInterval(tick, 1000);
  next();
})();
