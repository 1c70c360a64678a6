// The annotator workbench: next item, labels by keyboard (1–9, Enter, S skip, E escalate, V show sensitive media),
// timer, lease countdown, day tally, today's exposure to severe labels, and a break reminder after a long stretch.
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
  itemView.tabIndex = -1;
  const el = (id) => document.getElementById(id);
  let lease = null;
  let shownAt = 0;
  let busy = false;
  let retry = null;  // the timer that asks again after "no more items"
  let retryDelay = 30_000;  // doubled each time nothing came, up to 5 minutes
  let waiting = false;  // no item: waiting for one to come back to the pool

  // Looks for work again later, less often the longer none comes, and not while the page is hidden or its person on
  // a break (an unattended page would take an item and sit on it for its whole lease): then again on return.
  // A server that names its wait (a 503's Retry-After: a second, when others held every open item a moment) is
  // asked again then, without lengthening the next wait.
  function lookAgainLater(message, afterSeconds) {
    waiting = true;
    const delay = afterSeconds ? Math.min(afterSeconds * 1000, retryDelay) : retryDelay;
    say(message + " Looking again in " + Math.round(delay / 1000) + " seconds.");
    retry = setTimeout(() => { if (!document.hidden && !onBreakSince) next(); }, delay);
    if (!afterSeconds) retryDelay = Math.min(retryDelay * 2, 300_000);
  }
  const blurAllMedia = root.dataset.blurAllMedia === "true";

  // The stretch of unbroken work, on the server's clock: a pause of ten minutes or more starts a new one.
  const breakAfter = Number(root.dataset.breakAfterMinutes || 0) * 60 * 1000;
  const clockOffset = Number(root.dataset.serverNow || Date.now()) - Date.now();
  const serverTime = () => Date.now() + clockOffset;
  let stretchStart = Number(root.dataset.stretchStarted || 0) || serverTime();
  let lastWork = serverTime();
  let remindAt = stretchStart + breakAfter;
  let onBreakSince = 0;

  function say(text) { statusLine.textContent = text; statusLine.hidden = !text; }

  // The rationale being typed, kept for the assignment across a reload of the page.
  function draftKey() { return "assay.rationale." + (lease ? lease.assignment.id : ""); }
  rationale.addEventListener("input", () => { if (lease) sessionStorage.setItem(draftKey(), rationale.value); });

  async function next() {
    busy = true;
    lease = null;
    el("suggestion").hidden = true;
    picker.clear();
    rationale.value = "";
    itemView.hidden = true;
    el("assignment-id").textContent = "–";
    el("lease").textContent = "–";
    el("timer").textContent = "–";
    clearTimeout(retry);
    say("Loading the next item…");
    let reply;
    try {
      reply = await Assay.api("POST", "/queues/" + encodeURIComponent(queue) + "/next");
    } catch (error) {
      busy = false;
      lookAgainLater("The server could not be reached.");
      return;
    }
    busy = false;
    // Leases others let expire come back to the pool: look again now and then, as the person would by reloading.
    if (reply.status === 204) { lookAgainLater("No more items for you in this queue right now."); return; }
    // A server that is busy or cannot write for a moment (503), or out of reach: the same, rather than give up.
    if (reply.status === 503) { lookAgainLater(Assay.reason(reply, "The server is busy."), reply.retryAfter); return; }
    retryDelay = 30_000;
    waiting = false;
    if (reply.status !== 200) { say(Assay.reason(reply, "Could not load an item")); return; }
    lease = reply.body;
    lease.expiresAt = Date.now() + lease.assignment.lease_seconds * 1000;
    // A lease held already (the page reloaded mid-item) counts its time from the lease, not from the reload, and
    // gets back the rationale typed before.
    shownAt = Date.now() - (lease.assignment.held_seconds || 0) * 1000;
    rationale.value = sessionStorage.getItem(draftKey()) || "";
    // The assignment, not the item: an item's external id would tell gold apart (see LeaseResponse).
    el("assignment-id").textContent = String(lease.assignment.id);
    Assay.renderItem(itemView, lease.item, { blurAllMedia });
    showSuggestion(lease.suggestion);
    say("");
    // Not while a break reminder or a break holds the focus: Enter there would submit instead.
    // The focus goes to the item, not to the first label: a ring on label 1 (and its passage shown) read as an
    // answer suggested. Keys 1–9 choose from anywhere; Tab reaches the labels.
    if (el("break").hidden && el("on-break").hidden) itemView.focus({ preventScroll: true });
  }

  // The queue's model suggestion, when the queue shows one. It is shown, never pre-selected: a pre-selected answer
  // is too easy to rubber-stamp, and the server measures how often people take wrong suggestions.
  function showSuggestion(suggestion) {
    const box = el("suggestion");
    box.hidden = !suggestion;
    if (!suggestion) return;
    const name = (code) => {
      const button = document.querySelector('#labels [data-code="' + CSS.escape(code) + '"]');
      return button ? button.textContent.replace(/^\s*\d\s*/, "").trim() : code;
    };
    el("suggestion-labels").textContent = suggestion.labels.map(name).join(", ");
    el("suggestion-confidence").textContent = "(" + Math.round(suggestion.confidence * 100) + "% sure)";
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
    sessionStorage.removeItem(draftKey());
    // The same lease open in another tab was submitted there first: the server kept that answer. Say so, rather
    // than let this one look recorded.
    const kept = reply.body.replayed ? reply.body.judgment.labels : null;
    if (!kept) {
      el("tally").textContent = String(Number(el("tally").textContent) + 1);
      countExposure(labels);
    }
    working();
    await next();
    if (kept && kept.join("|") !== labels.join("|")) {
      say("That item was already submitted from another tab as " + Assay.labelNames(kept) + "; this answer was not recorded.");
    }
  }

  // Today's exposure to the queue's severe labels, as the server will have counted this judgment.
  function countExposure(labels) {
    for (const badge of document.querySelectorAll(".exposure")) {
      if (!labels.includes(badge.dataset.code)) continue;
      const count = badge.querySelector(".exposure-count");
      count.textContent = String(Number(count.textContent) + 1);
      const limit = Number(badge.dataset.limit || 0);
      if (limit && Number(count.textContent) >= limit) badge.classList.add("at-limit");
    }
  }

  async function escalate() {
    if (!lease || busy) return;
    const note = rationale.value.trim();
    if (!note) {
      say("Say why in the rationale box, then press Esc and E (or the Escalate button) to ask a policy expert.");
      rationale.focus();
      return;
    }
    busy = true;
    const reply = await Assay.api("POST", "/assignments/" + lease.assignment.id + "/escalate", { note });
    busy = false;
    if (reply.status >= 300) { say(Assay.reason(reply, "Escalation failed")); return; }
    working();
    await next();
    if (lease) say("Escalated to a policy expert. Here is the next item.");
    else if (statusLine.textContent.startsWith("No more items")) say("Escalated to a policy expert. No more items for you in this queue right now.");
  }

  function working() {
    const now = serverTime();
    if (now - lastWork >= 10 * 60 * 1000) { stretchStart = now; remindAt = now + breakAfter; }
    lastWork = now;
  }

  function checkBreak() {
    if (!breakAfter || onBreakSince) return;
    const now = serverTime();
    if (now - lastWork >= 10 * 60 * 1000) { stretchStart = now; remindAt = now + breakAfter; return; }
    if (now >= remindAt && el("break").hidden) {
      el("break-minutes").textContent = String(Math.round((now - stretchStart) / 60000));
      el("break").hidden = false;
      el("take-break").focus();
    }
  }

  function snooze() {
    el("break").hidden = true;
    remindAt = serverTime() + 10 * 60 * 1000;
  }

  function takeBreak() {
    clearTimeout(retry);
    el("break").hidden = true;
    onBreakSince = serverTime();
    el("on-break").hidden = false;
    itemView.hidden = true;
    el("end-break").focus();
  }

  function endBreak() {
    el("on-break").hidden = true;
    onBreakSince = 0;
    stretchStart = serverTime();
    lastWork = stretchStart;
    remindAt = stretchStart + breakAfter;
    // The item waited for the length of its lease; after a longer break it may be someone else's, so take the next.
    if (lease && lease.expiresAt > Date.now()) itemView.hidden = false; else next();
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
    checkBreak();
    if (onBreakSince) el("break-clock").textContent = Assay.clock(Math.floor((serverTime() - onBreakSince) / 1000));
    if (!lease) return;
    el("timer").textContent = Assay.clock(Math.floor((Date.now() - shownAt) / 1000));
    const left = Math.max(0, Math.floor((lease.expiresAt - Date.now()) / 1000));
    el("lease").textContent = Assay.clock(left);
    // Said once (the status line is a live region): a late answer still counts while nobody else has the item.
    if (left === 0 && !lease.expirySaid) {
      lease.expirySaid = true;
      say("The lease ran out: submit now and the answer still counts if nobody else has taken the item, or press S for another.");
    }
  }

  el("submit").addEventListener("click", submit);
  el("skip").addEventListener("click", skip);
  el("escalate").addEventListener("click", escalate);
  el("take-break").addEventListener("click", takeBreak);
  el("snooze-break").addEventListener("click", snooze);
  el("end-break").addEventListener("click", endBreak);
  // A reminder to choose a label goes once one is chosen, by key or by click.
  const choseLabel = () => { if (statusLine.textContent.startsWith("Choose a label")) say(""); };
  el("labels").addEventListener("click", choseLabel);
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.metaKey) return;
    if (event.key === "Escape" && !el("break").hidden) { event.preventDefault(); snooze(); return; }
    if (onBreakSince) return;
    const typing = Assay.typing(event);
    // Esc leaves the rationale box, so that the keys work again (E to escalate with the reason just written).
    if (event.key === "Escape" && typing) { event.preventDefault(); event.target.blur(); return; }
    // Enter on a focused link or button other than a label (Skip, Escalate, Queues…) is that control's.
    if (event.key === "Enter" && Assay.ownsEnter(event) && !event.ctrlKey) return;
    if (event.key === "Enter" && (!typing || event.ctrlKey)) { event.preventDefault(); submit(); return; }
    if (typing || event.ctrlKey) return;
    if (lease && picker.key(event.key)) { event.preventDefault(); choseLabel(); return; }
    if (event.key === "s" || event.key === "S") { event.preventDefault(); skip(); return; }
    if (event.key === "e" || event.key === "E") { event.preventDefault(); escalate(); return; }
    if (event.key === "v" || event.key === "V") { event.preventDefault(); Assay.revealAll(itemView); }
  });
  // Back on a page that was hidden while it waited for work: look at once.
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && waiting && !busy && !onBreakSince) next();
  });
  setInterval(tick, 1000);
  tick();
  next();
})();
