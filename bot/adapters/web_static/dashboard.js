/* Service dashboard. Plain JS (an ES module), no dependencies beyond common.js and its own
 * dashboard_*.js modules; charts are hand-written SVG.
 *
 * Signs in with the staff page's token (the same sessionStorage key, so a staff member who
 * comes from /staff in this tab is signed in already). The live queue refreshes on every
 * "ticket" push on the staff socket and every 30 s; figures on a change of period or
 * department, with "Refresh", after a publication, and every 5 minutes.
 *
 * For tests: <body data-until="<ISO>"> once figures for that window are shown, and
 * <body data-ws="open|connecting|closed">.
 */
import { LiveSocket, safeStorage, setWsState, staffJsonApi } from "./common.js";
import { createDrafts } from "./dashboard_drafts.js";
import {
  renderCharts,
  renderFigures,
  renderGoals,
  renderQueues,
  renderUncovered,
  tickWait,
} from "./dashboard_view.js";

const KEY_TOKEN = "supportbot.staffToken"; // staff.js keeps the token under this key
const QUEUE_EVERY_MS = 30000;
const FIGURES_EVERY_MS = 5 * 60000;
const PUSH_DEBOUNCE_MS = 400;
const PERIOD_TITLES = { today: "Today", week: "Last 7 days", month: "Last 30 days" };

const $ = (id) => document.getElementById(id);
const el = {
  loginView: $("login-view"), loginForm: $("login-form"), loginError: $("login-error"),
  loginErrorText: $("login-error-text"), token: $("token"), loginButton: $("login-button"),
  appView: $("app-view"), staffName: $("staff-name"), logout: $("logout"), connection: $("connection"),
  filters: $("filters"), period: $("period"), department: $("department"), updated: $("updated"),
  error: $("dash-error"), errorText: $("dash-error-text"), queues: $("queues"),
  todayFigures: $("today-figures"), todayRange: $("today-range"), periodHeading: $("period-heading"),
  periodFigures: $("period-figures"), periodRange: $("period-range"),
  chartVolume: $("chart-volume"), chartFirstResponse: $("chart-first-response"),
  chartResolution: $("chart-resolution"), chartRatings: $("chart-ratings"),
  goalsBody: $("goals-body"), uncovered: $("uncovered"),
  drafts: $("drafts"), draftsCount: $("drafts-count"), draftsStatus: $("drafts-status"),
};

const state = { token: null, session: 0, names: new Map(), loading: 0, pushTimer: null, timers: [] };
const tabStore = safeStorage("sessionStorage");

// ---------- API ----------

const request = staffJsonApi();

/** A staff API call; a 401 during a session signs out. */
async function call(method, path, body, token) {
  const session = state.session;
  try {
    return await request(method, path, body, { Authorization: "Bearer " + (token ?? state.token ?? "") });
  } catch (err) {
    if (err.status === 401 && token === undefined && session === state.session && state.token) {
      signOut("Your session has ended. Please sign in again.");
    }
    throw err;
  }
}

const drafts = createDrafts({
  container: el.drafts, count: el.draftsCount, status: el.draftsStatus, call,
  departmentName: (id) => state.names.get(id) || id || "no department",
  onPublished: () => loadDashboard().catch(() => {}),
});

// ---------- loading ----------

function query() {
  const params = new URLSearchParams({ period: el.period.value });
  if (el.department.value) params.set("department", el.department.value);
  return params.toString();
}

function showError(message) {
  el.errorText.textContent = message;
  el.error.hidden = !message;
}

function range(window) {
  const f = (iso) => new Date(iso).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
  return `${f(window.since)} – ${f(window.until)}`;
}

async function loadDashboard() {
  const ticket = ++state.loading;
  const session = state.session;
  el.filters.setAttribute("aria-busy", "true");
  try {
    const data = await call("GET", "/api/staff/dashboard?" + query());
    if (ticket !== state.loading || session !== state.session) return;
    render(data);
    showError("");
  } catch (err) {
    if (ticket === state.loading) showError(err.message);
  } finally {
    if (ticket === state.loading) el.filters.removeAttribute("aria-busy");
  }
}

function render(data) {
  fillDepartments(data.departments || []);
  renderQueues(el.queues, data.queues || [], Date.now());
  el.todayRange.textContent = range({ since: data.today.since, until: data.today.until });
  renderFigures(el.todayFigures, "today", data.today.total);
  el.periodHeading.firstChild.textContent = (PERIOD_TITLES[data.window.period] || "Period") + " ";
  el.periodRange.textContent = range(data.window);
  renderFigures(el.periodFigures, "period", data.period.total);
  renderCharts(el, data);
  renderGoals(el.goalsBody, data.goals || []);
  renderUncovered(el.uncovered, data.uncovered || [], drafts.draftFrom);
  el.updated.textContent = "Updated " + new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  document.body.dataset.period = data.window.period;
  document.body.dataset.until = data.window.until;
}

/** One option per department (an option asked for in the address comes first, by id). */
function addDepartment(id, name) {
  let option = Array.from(el.department.options).find((o) => o.value === id);
  if (!option) {
    option = document.createElement("option");
    option.value = id;
    el.department.appendChild(option);
  }
  option.textContent = name;
}

function fillDepartments(departments) {
  for (const d of departments) {
    state.names.set(d.id, d.name);
    addDepartment(String(d.id), String(d.name));
  }
}

async function refreshQueues() {
  const session = state.session;
  const params = el.department.value ? "?department=" + encodeURIComponent(el.department.value) : "";
  const data = await call("GET", "/api/staff/dashboard/queues" + params);
  if (session === state.session) renderQueues(el.queues, data.queues || [], Date.now());
}

function queuesSoon() {
  clearTimeout(state.pushTimer);
  state.pushTimer = setTimeout(() => refreshQueues().catch(() => {}), PUSH_DEBOUNCE_MS);
}

const live = new LiveSocket({
  active: () => Boolean(state.token),
  url: () => "/api/staff/ws?token=" + encodeURIComponent(state.token),
  epoch: () => state.session,
  onMessage: (data) => {
    if (data && data.type === "ticket") queuesSoon();
  },
  catchUp: queuesSoon,
  banner: el.connection,
  lostText: "Live updates interrupted. Reconnecting…",
});

// ---------- sign-in ----------

function showLogin(message) {
  el.loginErrorText.textContent = message || "";
  el.loginError.hidden = !message;
  el.appView.hidden = true;
  el.loginView.hidden = false;
  el.token.focus();
}

async function signIn(token, fromStorage) {
  el.loginButton.disabled = true;
  try {
    const me = await call("GET", "/api/staff/me", undefined, token);
    state.token = token;
    tabStore.set(KEY_TOKEN, token);
    el.token.value = "";
    el.staffName.textContent = String(me.name || me.id || "");
    start();
  } catch (err) {
    if (err.status === 401) tabStore.remove(KEY_TOKEN);
    showLogin(err.status === 401 ? (fromStorage ? "" : "That token was not accepted") : err.message);
  } finally {
    el.loginButton.disabled = false;
  }
}

function start() {
  el.loginView.hidden = true;
  el.appView.hidden = false;
  const params = new URLSearchParams(window.location.search);
  if (PERIOD_TITLES[params.get("period")]) el.period.value = params.get("period");
  const department = params.get("department");
  if (department) {
    addDepartment(department, department);
    el.department.value = department;
  }
  loadDashboard();
  drafts.load().catch((err) => (el.draftsStatus.textContent = err.message));
  live.connect();
  state.timers = [
    setInterval(() => refreshQueues().catch(() => {}), QUEUE_EVERY_MS),
    setInterval(() => document.querySelectorAll(".queue__wait").forEach(tickWait), 15000),
    setInterval(() => !document.hidden && loadDashboard(), FIGURES_EVERY_MS),
  ];
}

function signOut(message) {
  state.session += 1;
  state.token = null;
  tabStore.remove(KEY_TOKEN);
  live.close();
  state.timers.forEach(clearInterval);
  clearTimeout(state.pushTimer);
  showLogin(message);
}

// ---------- wiring ----------

function choose() {
  const url = new URL(window.location.href);
  url.search = query();
  window.history.replaceState(null, "", url);
  loadDashboard();
}

el.period.addEventListener("change", choose);
el.department.addEventListener("change", choose);
el.filters.addEventListener("submit", (event) => {
  event.preventDefault();
  loadDashboard();
});

el.loginForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const token = el.token.value.trim();
  if (token) signIn(token, false);
  else showLogin("Enter your staff token.");
});

el.logout.addEventListener("click", () => signOut(""));
live.reconnectOnReturn(() => {});

setWsState("closed");
const saved = tabStore.get(KEY_TOKEN);
if (saved) signIn(saved, true);
else showLogin("");
