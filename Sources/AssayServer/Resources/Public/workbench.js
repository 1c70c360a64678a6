// The annotator workbench: next item, labels by keyboard (1–9, Enter, S), timer, lease countdown, day tally.
// It calls the JSON API through Assay.api; the server decides everything.
(function () {
  "use strict";
  const root = document.getElementById("workbench");
  if (!root) return;
  const queue = root.dataset.queue;
  const rationaleRequired = root.dataset.rationaleRequired === "true";
  const picker = Assay.labelPicker(document.getElementById("labels"), root.dataset.multiple === "true");
  const statusLine = document.getElementById("status");
  const itemView = document.getElementById("item");
  const rationale = document.getElementById("rationale");
  const el = (id) => document.getElementById(id);
  let lease = null;
  let shownAt = 0;
  let busy = false;

  function say(text) { statusLine.textContent = text; statusLine.hidden = !text; }

  async function next() {
    busy = true;
    lease = null;
    picker.clear();
    rationale.value = "";
    itemView.hidden = true;
    el("item-id").textContent = "–";
    say("Loading the next item…");
    const reply = await Assay.api("POST", "/queues/" + encodeURIComponent(queue) + "/next");
    busy = false;
    if (reply.status === 204) { say("No more items for you in this queue right now."); return; }
    if (reply.status !== 200) { say(Assay.reason(reply, "Could not load an item")); return; }
    lease = reply.body;
    lease.expiresAt = Date.now() + lease.assignment.lease_seconds * 1000;
    shownAt = Date.now();
    el("item-id").textContent = lease.item.external_id;
    Assay.renderItem(itemView, lease.item);
    say("");
    (picker.buttons[0] || rationale).focus();
  }

  async function submit() {
    if (!lease || busy) return;
    const labels = picker.chosen();
    if (labels.length === 0) { say("Choose a label first (keys 1–9)."); return; }
    if (rationaleRequired && !rationale.value.trim()) { say("This queue needs a rationale."); rationale.focus(); return; }
    busy = true;
    const reply = await Assay.api("POST", "/assignments/" + lease.assignment.id + "/judgment", {
      labels, rationale: rationale.value.trim() || undefined,
      time_spent_ms: Date.now() - shownAt, client_key: "web-" + lease.assignment.id,
    });
    busy = false;
    if (reply.status >= 300) { say(Assay.reason(reply, "Submit failed")); return; }
    el("tally").textContent = String(Number(el("tally").textContent) + 1);
    await next();
  }

  async function skip() {
    if (!lease || busy) return;
    busy = true;
    const reply = await Assay.api("POST", "/assignments/" + lease.assignment.id + "/skip");
    busy = false;
    if (reply.status >= 300) { say(Assay.reason(reply, "Skip failed")); return; }
    await next();
  }

  function tick() {
    if (!lease) return;
    el("timer").textContent = Assay.clock(Math.floor((Date.now() - shownAt) / 1000));
    const left = Math.max(0, Math.floor((lease.expiresAt - Date.now()) / 1000));
    el("lease").textContent = Assay.clock(left);
    if (left === 0) say("The lease expired: this item went back to the pool. Skip to get another.");
  }

  el("submit").addEventListener("click", submit);
  el("skip").addEventListener("click", skip);
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.metaKey) return;
    const typing = Assay.typing(event);
    if (event.key === "Enter" && (!typing || event.ctrlKey)) { event.preventDefault(); submit(); return; }
    if (typing || event.ctrlKey) return;
    if (lease && picker.key(event.key)) { event.preventDefault(); return; }
    if (event.key === "s" || event.key === "S") { event.preventDefault(); skip(); }
  });
  setInterval(tick, 1000);
  tick();
  next();
})();
