// The arbitration screen: the next open case of a queue (leased to this arbitrator) with the item, every judgment
// and the guideline; the decision on keys 1–9, G to make the item gold, Enter to decide. The next case follows.
(function () {
  "use strict";
  const root = document.getElementById("arbitration");
  if (!root) return;
  const queue = root.dataset.queue;
  const picker = Assay.labelPicker(document.getElementById("labels"), root.dataset.multiple === "true");
  const statusLine = document.getElementById("status");
  const itemView = document.getElementById("item");
  const rationale = document.getElementById("rationale");
  const promote = document.getElementById("promote");
  const votes = document.querySelector("#votes tbody");
  const el = (id) => document.getElementById(id);
  let file = null;
  let busy = false;

  function say(text) { statusLine.textContent = text; statusLine.hidden = !text; }

  // Why a case is open, in words (the API's codes are ConsensusOutcome.Reason's).
  const reasons = {
    tie: "Tie: two or more answers got the most votes",
    disagreement: "Disagreement: the queue needs every judgment to agree",
    below_minimum_agreement: "Below the queue's minimum agreement",
    no_label_chosen_by_majority: "No label chosen by a majority",
    no_judgments: "No judgments",
    appeal: "Appeal: someone contests the final label",
    escalated: "Escalated by an annotator",
    expert_review: "Expert review: the queue's review routing sends such items to a policy expert",
  };

  function cell(row, text) { const td = document.createElement("td"); td.textContent = text; td.dir = "auto"; row.appendChild(td); }

  async function next() {
    busy = true;
    file = null;
    picker.clear();
    // The rationale just written leaves with its case: keys 1–9 must choose on the next one, not type into it.
    if (document.activeElement === rationale) rationale.blur();
    rationale.value = "";
    promote.checked = false;
    votes.replaceChildren();
    itemView.hidden = true;
    el("case-id").textContent = "–";
    el("case-reason").textContent = "–";
    say("Loading the next open case…");
    // Leased to this arbitrator for a while, so two arbitrators on one queue are given different cases.
    const reply = await Assay.api("POST", "/queues/" + encodeURIComponent(queue) + "/arbitration/next");
    busy = false;
    if (reply.status === 204) { say("No open cases in this queue."); return true; }
    if (reply.status !== 200) { say(Assay.reason(reply, "Could not load the cases")); return false; }
    file = reply.body;
    el("case-id").textContent = String(file.case.id);
    el("case-reason").textContent = (reasons[file.case.reason] || file.case.reason) + (file.case.note ? " — " + file.case.note : "");
    el("case-reason").dataset.reason = file.case.reason;
    Assay.renderItem(itemView, file.item);
    // A gold item (escalated, or sent by review routing): its reference, which the decision must keep or replace.
    el("gold").hidden = !file.gold;
    if (file.gold) {
      el("gold-labels").textContent = Assay.labelNames(file.gold.labels);
      el("gold-rationale").textContent = file.gold.rationale || "";
    }
    for (const vote of file.judgments) {
      const row = document.createElement("tr");
      cell(row, Assay.labelNames(vote.labels));
      cell(row, vote.rationale || "");
      cell(row, vote.annotator_name || "hidden");
      votes.appendChild(row);
    }
    if (file.judgments.length === 0) {
      // An escalation can come before anyone answered: say so rather than leave an empty table.
      const row = document.createElement("tr");
      const td = document.createElement("td");
      td.colSpan = 3;
      td.textContent = "No judgments yet.";
      row.appendChild(td);
      votes.appendChild(row);
    }
    say("");
    return true;
  }

  async function decide() {
    if (!file || busy) return;
    const labels = picker.chosen();
    if (labels.length === 0) { say("Choose the decided label first (keys 1–9)."); return; }
    busy = true;
    const reply = await Assay.api("POST", "/arbitration/" + file.case.id + "/decision", {
      labels, rationale: rationale.value.trim() || undefined, promote_to_gold: promote.checked,
    });
    busy = false;
    if (reply.status === 409) {
      // Another arbitrator decided it first, took it after this page sat past its lease, or new judgments settled
      // it: move on rather than stay on a case that is not ours to decide.
      const taken = file.case.id;
      const held = /being decided by/.test(Assay.reason(reply, ""));
      const loaded = await next();
      const what = held ? " went to another arbitrator after this page sat idle; " : " was closed meanwhile; ";
      if (loaded) say("Case " + taken + what + (file ? "here is the next open case." : "no open cases are left."));
      return;
    }
    if (reply.status >= 300) { say(Assay.reason(reply, "The decision was not saved")); return; }
    el("tally").textContent = String(Number(el("tally").textContent) + 1);
    await next();
  }

  el("decide").addEventListener("click", decide);
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.metaKey) return;
    const typing = Assay.typing(event);
    // Esc leaves the rationale box, so that 1–9 and G choose again instead of typing.
    if (event.key === "Escape" && typing) { event.preventDefault(); event.target.blur(); return; }
    // Enter on a focused link or button (Queues, Sign out, the guideline's summary) is that control's.
    if (event.key === "Enter" && Assay.ownsEnter(event) && !event.ctrlKey) return;
    if (event.key === "Enter" && (!typing || event.ctrlKey)) { event.preventDefault(); decide(); return; }
    if (typing || event.ctrlKey || !file) return;
    if (event.key === "g" || event.key === "G") { event.preventDefault(); promote.checked = !promote.checked; return; }
    if (picker.key(event.key)) { event.preventDefault(); chose(); }
  });
  // The reminder to choose a label goes once one is chosen, by key or by click, as on the other screens.
  function chose() { if (statusLine.textContent.startsWith("Choose")) say(""); }
  el("labels").addEventListener("click", chose);
  next();
})();
