/* Rendering the dashboard's figures, queues, goals and charts from GET /api/staff/dashboard.
 * Server text only through textContent (element() in common.js). Stable hooks for tests:
 * [data-figure="period.tickets_opened"] with data-value (the JSON value, "" for none),
 * [data-queue="billing"] > [data-ticket="T-1001"], tr[data-department][data-goal].
 */
import { element } from "./common.js";
import { barChart, lineChart } from "./dashboard_charts.js";

// ---------- formatting ----------

export const count = (v) => (typeof v === "number" ? String(v) : "–");

/** 12.5 -> "12.5 min", 95 -> "1 h 35 min"; null -> "–". */
export function minutes(v) {
  if (typeof v !== "number") return "–";
  if (v < 60) return `${v} min`;
  const whole = Math.round(v);
  return `${Math.floor(whole / 60)} h ${String(whole % 60).padStart(2, "0")} min`;
}

/** Axis labels and point titles: "45 min", "2.5 h". */
const compactMinutes = (v) => (v >= 120 ? `${Number((v / 60).toFixed(1))} h` : `${v} min`);

const rating = (v) => (typeof v === "number" ? v.toFixed(2) : "–");
const share = (v) => (typeof v === "number" ? `${Math.round(v * 100)}%` : "–");

/** The value at a dotted path ("first_response.median_minutes"), or null. */
function pick(data, path) {
  return path.split(".").reduce((v, key) => (v && typeof v === "object" ? v[key] ?? null : null), data);
}

// [path, label, format, note(figures) -> text]
const CARDS = [
  ["tickets_opened", "Tickets opened", count],
  ["tickets_closed", "Tickets closed", count],
  ["requests_opened", "Requests opened", count],
  ["requests_closed", "Requests closed", count],
  ["first_response.median_minutes", "First response, median", minutes, (f) => `${count(f.first_response?.count)} answered`],
  ["first_response.p90_minutes", "First response, 90th percentile", minutes],
  ["resolution.median_minutes", "Resolution, median", minutes, (f) => `${count(f.resolution?.count)} resolved`],
  ["resolution.p90_minutes", "Resolution, 90th percentile", minutes],
  ["rating_average", "Average rating", rating, (f) => `${ratingsCount(f)} ratings`],
  ["knowledge_base.answered_share", "Answered by the knowledge base", share, (f) => `${count(f.knowledge_base?.conversations)} conversations`],
  ["knowledge_base.helpful_share", "Answers marked helpful", share],
  ["service_levels.first_response.share", "Requests: first answer on time", share, (f) => decided(f, "first_response")],
  ["service_levels.resolution.share", "Requests: resolved on time", share, (f) => decided(f, "resolution")],
  ["holds_over", "Holds that ran over", count, (f) => `of ${count(f.holds)} holds`],
  ["transfers", "Transfers", count],
  ["escalations", "Escalations", count],
];

function ratingsCount(f) {
  return Object.values(f.ratings || {}).reduce((a, b) => a + b, 0);
}

function decided(f, milestone) {
  const sla = f.service_levels && f.service_levels[milestone];
  return sla ? `${sla.met} of ${sla.decided}` : "no deadlines due";
}

// ---------- figure cards ----------

export function renderFigures(container, scope, figures) {
  container.replaceChildren(...CARDS.map(([path, label, format, note]) => {
    const value = pick(figures, path);
    const card = element("div", "figure");
    card.appendChild(element("span", "figure__label", label));
    const shown = element("span", "figure__value", format(value));
    shown.dataset.figure = `${scope}.${path}`;
    shown.dataset.value = value === null ? "" : String(value);
    card.appendChild(shown);
    if (note) card.appendChild(element("span", "figure__note", note(figures)));
    return card;
  }));
}

// ---------- live queue ----------

/** The queues; waiting times count on from `fetchedAt` (the browser's clock only adds). */
export function renderQueues(container, queues, fetchedAt) {
  if (!queues.length) {
    container.replaceChildren(element("p", "dash-hint", "No departments configured."));
    return;
  }
  container.replaceChildren(...queues.map((q) => queueCard(q, fetchedAt)));
}

function queueCard(queue, fetchedAt) {
  const card = element("article", "queue");
  card.dataset.queue = String(queue.id);
  const head = element("header", "queue__head");
  head.appendChild(element("h3", "queue__name", String(queue.name || queue.id)));
  const counts = `${queue.waiting.length} waiting · ${queue.claimed} claimed · ${queue.on_hold} on hold`;
  head.appendChild(element("span", "queue__counts", counts));
  card.appendChild(head);
  if (!queue.waiting.length) {
    card.appendChild(element("p", "queue__empty", "Nobody is waiting."));
    return card;
  }
  const list = element("ol", "queue__list");
  for (const t of queue.waiting) list.appendChild(waitingItem(t, fetchedAt));
  card.appendChild(list);
  return card;
}

function waitingItem(ticket, fetchedAt) {
  const li = element("li", "queue__item");
  li.dataset.ticket = String(ticket.id);
  li.appendChild(element("span", "queue__ref", String(ticket.id)));
  if (ticket.priority && ticket.priority !== "normal") {
    li.appendChild(element("span", "chip chip--" + ticket.priority, String(ticket.priority)));
  }
  li.appendChild(element("span", "queue__topic", String(ticket.topic || "(no topic)")));
  const waited = element("span", "queue__wait");
  waited.dataset.minutes = String(ticket.waited_minutes);
  waited.dataset.since = String(fetchedAt);
  li.appendChild(waited);
  tickWait(waited);
  return li;
}

/** Refresh a waiting-time label: the server's minutes plus the time since they were fetched. */
export function tickWait(node) {
  const extra = Math.floor((Date.now() - Number(node.dataset.since)) / 60000);
  const total = Number(node.dataset.minutes) + Math.max(0, extra);
  node.textContent = total < 1 ? "just now" : `waiting ${minutes(total)}`;
}

// ---------- goals ----------

const STATUS = { true: ["Met", "met"], false: ["Missed", "missed"], null: ["No data", "none"] };

export function renderGoals(tbody, goals) {
  const rows = [];
  for (const dept of goals) {
    for (const goal of dept.goals) {
      const tr = element("tr");
      tr.dataset.department = String(dept.department);
      tr.dataset.goal = String(goal.name);
      for (const text of [dept.name, goal.name, goal.goal, goal.actual]) tr.appendChild(element("td", "", String(text)));
      const [label, kind] = STATUS[String(goal.met ?? null)] || STATUS.null;
      const cell = element("td");
      cell.appendChild(element("span", "goal-status goal-status--" + kind, label));
      tr.appendChild(cell);
      rows.push(tr);
    }
  }
  if (!rows.length) {
    const tr = element("tr");
    const td = element("td", "dash-hint", "No goals set in departments.yaml.");
    td.colSpan = 5;
    tr.appendChild(td);
    rows.push(tr);
  }
  tbody.replaceChildren(...rows);
}

// ---------- charts ----------

function dayLabels(series) {
  const date = (d) => new Date(d.day + "T00:00:00Z");
  const short = series.map((d) => date(d).toLocaleDateString([], { weekday: "short", day: "numeric", timeZone: "UTC" }));
  const long = series.map((d) => date(d).toLocaleDateString([], { dateStyle: "medium", timeZone: "UTC" }));
  return { short, long };
}

export function renderCharts(el, data) {
  const series = data.series;
  const { short, long } = dayLabels(series);
  const total = data.period.total;
  barChart(el.chartVolume, {
    id: "volume", title: "Opened and closed per day", labels: short, long,
    desc: `${total.tickets_opened + total.requests_opened} opened and ${total.tickets_closed + total.requests_closed} closed over ${series.length} days.`,
    series: [
      { name: "Opened", className: "opened", values: series.map((d) => d.opened) },
      { name: "Closed", className: "closed", values: series.map((d) => d.closed) },
    ],
  });
  for (const [figure, key, id, what] of [
    [el.chartFirstResponse, "first_response_median_minutes", "first-response", "first response"],
    [el.chartResolution, "resolution_median_minutes", "resolution", "resolution"],
  ]) {
    lineChart(figure, {
      id, title: `Median ${what} per day (business time)`, labels: short, long, name: `median ${what}`,
      desc: `Median ${what} over the period: ${minutes(total[key.replace("_median_minutes", "")].median_minutes)}.`,
      values: series.map((d) => d[key]), format: compactMinutes,
    });
  }
  const stars = ["1", "2", "3", "4", "5"];
  barChart(el.chartRatings, {
    id: "ratings", title: "Ratings (1-5)", labels: stars, long: stars.map((s) => `Rating ${s}`),
    desc: `${ratingsCount(total)} ratings, average ${rating(total.rating_average)}.`,
    series: [{ name: "Ratings", className: "ratings", values: stars.map((s) => data.ratings[s] || 0) }],
  });
}

// ---------- uncovered questions ----------

/** The top uncovered questions; `onDraft(ticket, question, button)` drafts from a ticket. */
export function renderUncovered(list, uncovered, onDraft) {
  if (!uncovered.length) {
    list.replaceChildren(element("li", "dash-hint", "No uncovered questions in this period."));
    return;
  }
  list.replaceChildren(...uncovered.map((gap) => uncoveredItem(gap, onDraft)));
}

function uncoveredItem(gap, onDraft) {
  const li = element("li", "gap");
  const head = element("div", "gap__head");
  head.appendChild(element("span", "gap__count", `${gap.count}×`));
  head.appendChild(element("span", "gap__text", String(gap.example)));
  for (const lang of gap.languages || []) head.appendChild(element("span", "chip", String(lang).toUpperCase()));
  li.appendChild(head);
  const candidates = Array.isArray(gap.candidates) ? gap.candidates : [];
  if (!candidates.length) {
    li.appendChild(element("p", "gap__none", "No resolved ticket on this question yet."));
    return li;
  }
  const options = element("ul", "gap__candidates");
  for (const c of candidates) options.appendChild(candidateItem(gap, c, onDraft));
  li.appendChild(options);
  return li;
}

function candidateItem(gap, candidate, onDraft) {
  const item = element("li", "gap__candidate");
  const button = element("button", "btn btn--ghost btn--small", `Draft from ${candidate.ticket}`);
  button.type = "button";
  button.dataset.ticket = String(candidate.ticket);
  button.addEventListener("click", () => onDraft(String(candidate.ticket), String(gap.example), button));
  item.appendChild(button);
  const about = element("span", "gap__about");
  about.appendChild(element("span", "gap__topic", String(candidate.topic)));
  const summary = candidate.summary ? `Solved: ${candidate.summary}` : "No resolution summary";
  about.appendChild(element("span", "gap__summary", summary));
  item.appendChild(about);
  return item;
}
