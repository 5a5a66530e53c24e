/* Knowledge-base drafts on the dashboard: "Draft from T-n" on an uncovered question creates a
 * draft (not live) from the ticket's resolution; the review form edits its example questions
 * and answer; Publish checks it on the server (problems come back as file:line) and makes it
 * live; Discard deletes it. Server text only through textContent.
 * Hooks for tests: article.draft[data-draft="<id>"], textarea[name=questions|answer].
 */
import { element } from "./common.js";

const DRAFTS = "/api/staff/kb/drafts";

/**
 * `call(method, path, body)` is the page's API function; `departmentName(id)` a display name;
 * `onPublished()` runs after a publication (the figures can be reloaded).
 */
export function createDrafts({ container, count, status, call, departmentName, onPublished }) {
  const say = (text) => {
    status.textContent = text;
  };

  function render(drafts) {
    count.textContent = drafts.length ? `(${drafts.length})` : "";
    if (!drafts.length) {
      container.replaceChildren(element("p", "dash-hint", "No drafts waiting."));
      return;
    }
    container.replaceChildren(...drafts.map(reviewForm));
  }

  async function load() {
    const data = await call("GET", DRAFTS);
    render(Array.isArray(data.drafts) ? data.drafts : []);
  }

  async function draftFrom(ticket, question, button) {
    button.disabled = true;
    try {
      const data = await call("POST", DRAFTS, { ticket, question });
      say(`Draft ${data.draft.id} created from ${ticket}: review it below, then publish it.`);
      await load();
      const form = container.querySelector(`[data-draft="${CSS.escape(data.draft.id)}"]`);
      if (form) form.querySelector("textarea").focus();
    } catch (err) {
      say(err.message);
    } finally {
      button.disabled = false;
    }
  }

  function field(form, name, label, value, rows) {
    const id = `draft-${form.dataset.draft}-${name}`;
    const wrap = element("div", "field");
    const caption = element("label", "", label);
    caption.htmlFor = id;
    const input = element("textarea", "input draft__input");
    Object.assign(input, { id, name, rows, value });
    wrap.append(caption, input);
    form.appendChild(wrap);
    return input;
  }

  function reviewForm(draft) {
    const form = element("form", "draft");
    form.dataset.draft = String(draft.id);
    form.noValidate = true;
    const head = element("header", "draft__head");
    head.appendChild(element("h3", "draft__id", String(draft.id)));
    const where = [departmentName(draft.department), String(draft.language).toUpperCase(), `from ${draft.ticket}`, `by ${draft.created_by}`];
    head.appendChild(element("span", "draft__meta", where.join(" · ")));
    form.appendChild(head);
    const questions = field(form, "questions", "Example questions (one per line)", (draft.questions || []).join("\n"), 3);
    const answer = field(form, "answer", "Answer", String(draft.answer || ""), 4);
    const problems = element("ul", "alert draft__problems");
    problems.setAttribute("role", "alert");
    problems.hidden = true;
    form.appendChild(problems);
    const actions = element("div", "draft__actions");
    const publish = element("button", "btn btn--small", "Publish");
    publish.type = "submit";
    const discard = element("button", "btn btn--ghost btn--small", "Discard");
    discard.type = "button";
    actions.append(publish, discard);
    form.appendChild(actions);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      publishDraft(draft.id, questions.value, answer.value, problems, publish);
    });
    discard.addEventListener("click", () => discardDraft(draft.id, discard));
    return form;
  }

  function showProblems(list, message, problems) {
    list.replaceChildren(element("li", "", message), ...problems.map((p) => element("li", "", String(p))));
    list.hidden = false;
  }

  async function publishDraft(id, questionsText, answer, problems, button) {
    const questions = questionsText.split("\n").map((q) => q.trim()).filter(Boolean);
    button.disabled = true;
    problems.hidden = true;
    try {
      const data = await call("POST", `${DRAFTS}/${encodeURIComponent(id)}/publish`, { answer, questions });
      say(`Published ${data.entry}: the bot answers it from now on (${data.entries} entries).`);
      await load();
      onPublished();
    } catch (err) {
      const found = err.data && Array.isArray(err.data.problems) ? err.data.problems : [];
      showProblems(problems, err.message, found);
    } finally {
      button.disabled = false;
    }
  }

  async function discardDraft(id, button) {
    button.disabled = true;
    try {
      await call("DELETE", `${DRAFTS}/${encodeURIComponent(id)}`);
      say(`Discarded ${id}.`);
      await load();
    } catch (err) {
      say(err.message);
      button.disabled = false;
    }
  }

  return { load, draftFrom };
}
