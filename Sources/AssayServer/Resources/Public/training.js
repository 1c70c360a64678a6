// Exams and training: the person picks an exam, answers its items with the keyboard (1–9, Enter), and in
// training mode sees after each answer whether it was right, the reference, why, and the guideline passage.
// The server keeps the attempt and the score; this page only shows them.
(function () {
  "use strict";
  const root = document.getElementById("training");
  if (!root) return;
  const picker = Assay.labelPicker(document.getElementById("labels"), root.dataset.multiple === "true");
  const el = (id) => document.getElementById(id);
  const itemView = el("item");
  let exam = null;
  let item = null;
  let showingFeedback = false;
  let busy = false;

  function say(text) { el("status").textContent = text; }

  let finished = false;

  // The labels and the Answer button work only inside an exam: before one is started they answer nothing.
  function answering(on) {
    el("submit").disabled = !on;
    for (const button of picker.buttons) button.disabled = !on;
  }
  answering(false);

  async function start(button) {
    exam = button.dataset.exam;
    answering(true);
    el("exam-list").hidden = true;
    el("result").hidden = true;
    // An attempt in progress resumes where it stopped; a new one starts from nothing.
    el("answered").textContent = button.dataset.answered || "0";
    finished = false;
    el("exam-name").textContent = button.dataset.name;
    await next();
  }

  // After the last answer the attempt is over: the page shows the result (and in training the last feedback)
  // and waits. A new attempt starts only from "Take it again", never from a stray Enter.
  function backToExams() {
    answering(false);
    exam = null;
    item = null;
    finished = false;
    showingFeedback = false;
    itemView.hidden = true;
    el("feedback").hidden = true;
    el("result").hidden = true;
    el("item-id").textContent = "–";
    el("exam-name").textContent = "–";
    el("exam-list").hidden = false;
    say("");
  }

  async function next() {
    if (finished) return;
    showingFeedback = false;
    el("feedback").hidden = true;
    picker.clear();
    say("");
    busy = true;
    const reply = await Assay.api("POST", "/exams/" + exam + "/next");
    busy = false;
    if (reply.status === 204) { itemView.hidden = true; say("You have answered every item of this exam."); return; }
    if (reply.status !== 200) { say(Assay.reason(reply, "Could not load an item")); return; }
    item = reply.body;
    el("item-id").textContent = item.external_id;
    Assay.renderItem(itemView, item);
    (picker.buttons[0] || itemView).focus();
  }

  async function answer() {
    if (finished) return;
    if (showingFeedback) { await next(); return; }
    if (!item || busy) return;
    const labels = picker.chosen();
    if (labels.length === 0) { say("Choose a label first (keys 1–9)."); return; }
    busy = true;
    const reply = await Assay.api("POST", "/exams/" + exam + "/answers", { item_id: item.id, labels });
    busy = false;
    if (reply.status >= 300) { say(Assay.reason(reply, "Could not record the answer")); return; }
    el("answered").textContent = String(Number(el("answered").textContent) + 1);
    const feedback = reply.body;
    if (feedback.result) {
      const result = feedback.result;
      finished = true;
      // The attempt is over: taking the exam again starts a new one.
      const button = document.querySelector('.start[data-exam="' + exam + '"]');
      if (button) { button.dataset.answered = "0"; button.textContent = "Start " + button.dataset.name; }
      itemView.hidden = true;
      el("feedback").hidden = true;
      el("result").hidden = false;
      el("result-title").textContent = result.passed ? "Passed" : "Not passed yet";
      el("result-text").textContent = "Score " + Math.round(result.score * 100) + "% (" + result.correct + " of " + result.answered + ")"
        + (result.qualified_until ? ", qualified until " + result.qualified_until.slice(0, 10) : "") + ".";
      if (feedback.correct === undefined || feedback.correct === null) { el("result-title").focus(); return; }
    }
    if (feedback.correct === undefined || feedback.correct === null) { await next(); return; }
    showingFeedback = true;
    el("verdict").textContent = feedback.correct ? "Right" : "Not quite";
    el("verdict").className = feedback.correct ? "better" : "worse";
    el("reference").textContent = Assay.labelNames(feedback.reference);
    el("rationale-text").textContent = feedback.rationale || "";
    el("passage-text").textContent = feedback.guideline_passage || "";
    el("passage-text").hidden = !feedback.guideline_passage;
    el("feedback").hidden = false;
    el("continue").hidden = Boolean(feedback.result);
    // Focus goes to the result itself, not to a button that Enter would press.
    if (feedback.result) el("result-title").focus(); else el("continue").focus();
  }

  for (const button of document.querySelectorAll(".start")) button.addEventListener("click", () => start(button));
  el("submit").addEventListener("click", answer);
  el("continue").addEventListener("click", next);
  el("again").addEventListener("click", () => start(document.querySelector('.start[data-exam="' + exam + '"]')));
  el("back").addEventListener("click", backToExams);
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.metaKey || event.ctrlKey || !exam) return;
    if (event.key === "Enter") {
      // Enter on a focused button is that button's click; elsewhere it answers, or moves on from feedback.
      if (Assay.ownsEnter(event)) return;
      event.preventDefault();
      answer();
      return;
    }
    if (!finished && !showingFeedback && item && picker.key(event.key)) event.preventDefault();
  });
})();
