// The QA review screen: the next sampled judgment; C marks it correct; W opens the correction (right labels on
// 1–9, severity K or M, an optional category) and Enter sends it. In blind review the reviewer answers first.
(function () {
  "use strict";
  const root = document.getElementById("review");
  if (!root) return;
  const queue = root.dataset.queue;
  const blind = root.dataset.blind === "true";
  const picker = Assay.labelPicker(document.getElementById("correction"), root.dataset.multiple === "true");
  const correction = document.getElementById("correction");
  const statusLine = document.getElementById("status");
  const itemView = document.getElementById("item");
  const category = document.getElementById("category");
  const el = (id) => document.getElementById(id);
  let task = null;
  let busy = false;

  function say(text) { statusLine.textContent = text; statusLine.hidden = !text; }
  function severity() { const checked = document.querySelector("input[name=severity]:checked"); return checked ? checked.value : null; }
  function setSeverity(value) { for (const input of document.querySelectorAll("input[name=severity]")) input.checked = input.value === value; }

  async function next() {
    busy = true;
    task = null;
    picker.clear();
    setSeverity(null);
    category.value = "";
    if (!blind) {
      correction.hidden = true;
      el("judged-labels").textContent = "";
      el("judged-rationale").textContent = "";
    }
    itemView.hidden = true;
    el("item-id").textContent = "–";
    el("review-id").textContent = "–";
    for (const button of picker.buttons) button.classList.remove("judged");
    if (!blind) el("correct").disabled = false;
    say("Loading the next review…");
    const reply = await Assay.api("POST", "/queues/" + encodeURIComponent(queue) + "/qa/next");
    busy = false;
    if (reply.status === 204) { say("Nothing waits for review in this queue."); return; }
    if (reply.status !== 200) { say(Assay.reason(reply, "Could not load a review")); return; }
    task = reply.body;
    el("item-id").textContent = task.item.external_id;
    // Two people's judgments of one item come one after the other: the review's number tells them apart.
    el("review-id").textContent = String(task.review.id);
    Assay.renderItem(itemView, task.item);
    if (!blind) {
      el("judged-labels").textContent = Assay.labelNames(task.judged_labels);
      el("judged-rationale").textContent = task.rationale || "";
      // The annotator's own answer stays marked among the choices of a correction.
      for (const button of picker.buttons) button.classList.toggle("judged", task.judged_labels.includes(button.dataset.code));
    }
    say("");
  }

  async function send(verdict) {
    if (!task || busy) return;
    busy = true;
    const reply = await Assay.api("POST", "/qa/" + task.review.id, verdict);
    busy = false;
    if (reply.status === 409 || reply.status === 404) {
      // Another reviewer took it after this page sat past its lease (404: not ours), or reviewed it first (409):
      // move on rather than stay on a review that is not ours to answer.
      const taken = task.review.id;
      await next();
      say("QA review " + taken + " went to another reviewer meanwhile; " + (task ? "here is the next one." : statusLine.textContent));
      return;
    }
    if (reply.status >= 300) { say(Assay.reason(reply, "The verdict was not saved")); return; }
    el("tally").textContent = String(Number(el("tally").textContent) + 1);
    await next();
  }

  function sendCorrection() {
    const labels = picker.chosen();
    if (labels.length === 0) { say("Choose the right label first (keys 1–9)."); return; }
    if (!severity()) { say(blind ? "Choose the severity in case your answer differs (K or M)." : "Choose a severity: K critical, M minor."); return; }
    const verdict = { labels, severity: severity(), error_category: category.value.trim() || undefined };
    if (!blind) verdict.correct = false;
    send(verdict);
  }

  function openCorrection() {
    if (!task) return;
    correction.hidden = false;
    // A correction is open: "Correct" would contradict it (Esc closes it, and gives the button back).
    if (!blind) el("correct").disabled = true;
    (picker.buttons[0] || category).focus();
  }

  if (!blind) {
    el("correct").addEventListener("click", () => send({ correct: true }));
    el("wrong").addEventListener("click", openCorrection);
  }
  el("send").addEventListener("click", sendCorrection);
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.metaKey || event.ctrlKey) return;
    if (event.key === "Enter" && Assay.ownsEnter(event)) return;
    if (event.key === "Enter" && !correction.hidden) { event.preventDefault(); sendCorrection(); return; }
    if (Assay.typing(event) || !task) return;
    const key = event.key.toLowerCase();
    if (!blind && key === "c" && correction.hidden) { event.preventDefault(); send({ correct: true }); return; }
    if (!blind && key === "w") { event.preventDefault(); openCorrection(); return; }
    // Esc closes a correction opened by mistake, back to C or W.
    if (!blind && event.key === "Escape" && !correction.hidden) {
      event.preventDefault();
      correction.hidden = true;
      el("correct").disabled = false;
      picker.clear();
      say("");
      return;
    }
    if (correction.hidden) return;
    if (key === "k") { event.preventDefault(); setSeverity("critical"); answered(); return; }
    if (key === "m") { event.preventDefault(); setSeverity("minor"); answered(); return; }
    if (picker.key(event.key)) { event.preventDefault(); answered(); }
  });
  // A reminder to choose a label or a severity goes once it is chosen, by key or by click.
  function answered() { if (statusLine.textContent.startsWith("Choose")) say(""); }
  correction.addEventListener("click", answered);
  next();
})();
