/* Staff desk page. Plain JS (an ES module), no dependencies beyond common.js.
 *
 * All server text (customer names, messages, command output) is inserted with
 * textContent / createTextNode only, never innerHTML.
 *
 * For tests: <body data-ws="open|connecting|closed"> tells the socket state and
 * <body data-selected="C-12"> the selected conversation.
 *
 * Notices ({type: "notice", to, text, ticket} on the staff socket) addressed to the signed-in
 * member show in #notices (an assertive live region near the top), newest first, the last
 * MAX_NOTICES kept; others are ignored.
 */
import {
  LiveSocket,
  TranscriptSync,
  autoGrow,
  choiceButton,
  choiceGroup,
  choiceLabel,
  element,
  followBottom,
  formatTime,
  staffJsonApi,
  messageItem,
  messageMeta,
  messageRole,
  pressChoice,
  safeStorage,
  sendOnEnter,
  setWsState,
  unreadTitle,
} from "./common.js";

const KEY_TOKEN = "supportbot.staffToken";
const MAX_RESULTS = 40;
const MAX_HISTORY = 50;
const MAX_NOTICES = 20;
const TICKET_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;
const REPLY_MAX_PX = 160;

const $ = (id) => document.getElementById(id);
const el = {
  loginView: $("login-view"),
  loginForm: $("login-form"),
  loginError: $("login-error"),
  loginErrorText: $("login-error-text"),
  token: $("token"),
  loginButton: $("login-button"),
  appView: $("app-view"),
  staffName: $("staff-name"),
  logout: $("logout"),
  connection: $("connection"),
  noticesHead: $("notices-head"),
  noticesCount: $("notices-count"),
  noticesClear: $("notices-clear"),
  notices: $("notices"),
  convCount: $("conv-count"),
  convFilter: $("conv-filter"),
  convList: $("conv-list"),
  transcriptEmpty: $("transcript-empty"),
  transcriptView: $("transcript-view"),
  convTitle: $("conv-title"),
  convMeta: $("conv-meta"),
  transcript: $("transcript"),
  transcriptList: $("transcript-list"),
  replyForm: $("reply-form"),
  replyInput: $("reply-input"),
  replySend: $("reply-send"),
  commandForm: $("command-form"),
  commandInput: $("command-input"),
  results: $("results"),
};

const state = {
  token: null,
  me: null,
  session: 0, // bumped on sign-out: late answers are ignored
  convs: new Map(), // ref -> list item
  unread: new Set(),
  selected: null,
  selection: 0, // bumped on every selection change
  bySeq: new Map(), // seq -> <li> of the selected transcript
  listTimer: null,
  reloadTimer: null,
  history: [],
  historyPos: 0,
};

const title = unreadTitle();

// ---------- session storage (the token then lives only in memory where it is blocked) ----------

const tabStore = safeStorage("sessionStorage");

function saveToken(token) {
  if (token) tabStore.set(KEY_TOKEN, token);
  else tabStore.remove(KEY_TOKEN);
}

// ---------- API ----------

const request = staffJsonApi();

function api(method, path, body, token) {
  return request(method, path, body, { Authorization: "Bearer " + (token ?? state.token ?? "") });
}

/** Like api(), but a 401 during a session signs the user out. */
async function call(method, path, body) {
  const session = state.session;
  try {
    return await api(method, path, body);
  } catch (err) {
    if (err.status === 401 && session === state.session && state.token) {
      signOut("Your session has ended. Please sign in again.");
    }
    throw err;
  }
}

// ---------- formatting ----------

function parseTime(iso) {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

function relativeTime(iso) {
  const t = parseTime(iso);
  if (!t) return "";
  const diff = Math.max(0, Date.now() - t);
  const min = Math.floor(diff / 60000);
  if (min < 1) return "now";
  if (min < 60) return min + " min";
  const hours = Math.floor(min / 60);
  if (hours < 24) return hours + " h";
  const date = new Date(t);
  const sameYear = date.getFullYear() === new Date().getFullYear();
  return date.toLocaleDateString([], sameYear ? { month: "short", day: "numeric" } : { dateStyle: "medium" });
}

function slug(text) {
  return String(text || "").toLowerCase().replace(/[^a-z0-9-]+/g, "-");
}

function chip(text, extraClass) {
  return element("span", "chip" + (extraClass ? " " + extraClass : ""), text);
}

/** The ref, status and language of a conversation, as shown in the list and the head. */
function convTags(ref, item) {
  const tags = [element("span", "conv__ref", ref)];
  if (item && item.status) tags.push(chip(String(item.status), "chip--" + slug(item.status)));
  if (item && item.language) tags.push(chip(String(item.language).toUpperCase()));
  return tags;
}

// ---------- sign-in ----------

function showLoginError(message) {
  el.loginErrorText.textContent = message;
  el.loginError.hidden = !message;
}

async function signIn(token, fromStorage) {
  el.loginButton.disabled = true;
  try {
    const me = await api("GET", "/api/staff/me", undefined, token);
    state.token = token;
    state.me = me;
    saveToken(token);
    el.token.value = "";
    showLoginError("");
    startDesk();
  } catch (err) {
    if (err.status === 401 || err.status === 403) {
      saveToken(null);
      showLoginError(fromStorage ? "" : "That token was not accepted");
    } else {
      showLoginError(err.message);
    }
    showLogin();
  } finally {
    el.loginButton.disabled = false;
  }
}

function showLogin() {
  el.appView.hidden = true;
  el.loginView.hidden = false;
  el.token.focus();
}

function signOut(message) {
  state.session += 1;
  state.token = null;
  state.me = null;
  saveToken(null);
  live.close();
  clearInterval(state.listTimer);
  clearTimeout(state.reloadTimer);
  state.convs.clear();
  state.unread.clear();
  deselect();
  el.convList.replaceChildren();
  el.results.replaceChildren();
  clearNotices();
  el.connection.hidden = true;
  showLoginError(message || "");
  showLogin();
}

function startDesk() {
  el.staffName.textContent = String(state.me && (state.me.name || state.me.id) || "");
  el.loginView.hidden = true;
  el.appView.hidden = false;
  loadConversations().catch(() => {});
  live.connect();
  clearInterval(state.listTimer);
  state.listTimer = setInterval(renderList, 30000); // keep "5 min" labels fresh
  const ref = decodeURIComponent(window.location.hash.slice(1));
  if (ref) select(ref);
  else el.commandInput.focus();
}

// ---------- conversation list ----------

async function loadConversations() {
  const session = state.session;
  const data = await call("GET", "/api/staff/conversations");
  if (session !== state.session) return;
  state.convs.clear();
  for (const item of Array.isArray(data.conversations) ? data.conversations : []) {
    if (item && typeof item.ref === "string") state.convs.set(item.ref, item);
  }
  renderList();
  renderHead();
}

function scheduleReload() {
  clearTimeout(state.reloadTimer);
  state.reloadTimer = setTimeout(() => loadConversations().catch(() => {}), 300);
}

function sortedConvs() {
  return Array.from(state.convs.values()).sort(
    (a, b) => parseTime(b.updated_at) - parseTime(a.updated_at) || String(b.ref).localeCompare(String(a.ref)),
  );
}

function matches(item, filter) {
  if (!filter) return true;
  const hay = [item.ref, item.customer, item.last_text, item.status, item.language]
    .map((v) => String(v ?? "").toLowerCase())
    .join("\n");
  return hay.includes(filter);
}

function buildConvItem(item) {
  const li = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "conv" + (state.unread.has(item.ref) ? " conv--unread" : "");
  button.dataset.ref = item.ref;
  if (item.ref === state.selected) button.setAttribute("aria-current", "true");

  const top = element("div", "conv__top");
  const customer = element("span", "conv__customer", String(item.customer || "Unknown customer"));
  const time = element("time", "conv__time");
  if (item.updated_at) {
    time.dateTime = String(item.updated_at);
    time.textContent = relativeTime(item.updated_at);
    const full = formatTime(item.updated_at);
    if (full) time.title = full.full;
  }
  top.append(customer, time);

  const last = element("div", "conv__last", String(item.last_text ?? ""));

  const tags = element("div", "conv__tags");
  tags.append(...convTags(item.ref, item));
  if (state.unread.has(item.ref)) tags.appendChild(element("span", "visually-hidden", "New messages"));

  button.append(top, last, tags);
  button.addEventListener("click", () => select(item.ref));
  li.appendChild(button);
  return li;
}

function renderList() {
  const focusedRef = document.activeElement && document.activeElement.dataset
    ? document.activeElement.dataset.ref
    : undefined;
  const filter = el.convFilter.value.trim().toLowerCase();
  const all = sortedConvs();
  const shown = all.filter((item) => matches(item, filter));
  const nodes = shown.map(buildConvItem);
  if (nodes.length === 0) {
    const text = all.length === 0 ? "No conversations yet." : "No conversation matches the filter.";
    nodes.push(element("li", "conv-list__empty", text));
  }
  el.convList.replaceChildren(...nodes);
  el.convCount.textContent = all.length ? "(" + (filter ? shown.length + " of " : "") + all.length + ")" : "";
  if (focusedRef) {
    const again = el.convList.querySelector('button[data-ref="' + CSS.escape(focusedRef) + '"]');
    if (again) again.focus();
  }
}

function upsertConversation(item) {
  if (!item || typeof item.ref !== "string") return;
  const old = state.convs.get(item.ref) || {};
  state.convs.set(item.ref, Object.assign({}, old, item));
  renderList();
  if (item.ref === state.selected) renderHead();
}

// ---------- transcript ----------

function renderHead() {
  if (!state.selected) return;
  const item = state.convs.get(state.selected);
  const name = item && item.customer ? String(item.customer) : state.selected;
  el.convTitle.textContent = name;
  el.replyInput.placeholder = "Reply to " + (name.length > 40 ? name.slice(0, 39) + "…" : name) + " (Enter sends)";
  el.convMeta.replaceChildren(...convTags(state.selected, item));
}

function deselect() {
  state.selection += 1;
  state.selected = null;
  state.bySeq.clear();
  transcript.reset();
  el.transcriptList.replaceChildren();
  el.transcriptView.hidden = true;
  el.transcriptEmpty.hidden = false;
  delete document.body.dataset.selected;
}

function select(ref) {
  if (!ref) return;
  if (ref === state.selected) {
    el.replyInput.focus();
    return;
  }
  deselect();
  state.selected = ref;
  state.unread.delete(ref);
  document.body.dataset.selected = ref;
  try {
    window.history.replaceState(null, "", "#" + encodeURIComponent(ref));
  } catch (_) {
    /* ignore */
  }
  el.transcriptEmpty.hidden = true;
  el.transcriptView.hidden = false;
  follow.toBottom(); // a newly opened transcript starts at its newest message
  renderHead();
  renderList();
  syncTranscript().catch((err) => {
    if (err.status === 404) {
      addResult("Open " + ref, [], err.message);
    }
  });
  if (window.matchMedia("(max-width: 800px)").matches) {
    el.transcriptView.scrollIntoView({ block: "start" });
  }
}

function authorFor(message, role) {
  if (role === "customer") {
    const item = state.convs.get(state.selected);
    return String(message.author || (item && item.customer) || "Customer");
  }
  if (role === "staff") return String(message.author || "Staff");
  return String(message.author || "Assistant");
}

function buildMessage(message) {
  const role = messageRole(message);
  let badge = null;
  if (role === "staff") badge = element("span", "msg__badge", "Staff");
  else if (role === "bot") badge = element("span", "chip", "Bot");
  const li = messageItem(message, role, role !== "customer", messageMeta(authorFor(message, role), badge, message.at));
  if (Array.isArray(message.buttons) && message.buttons.length > 0) {
    if (isMyOwnRequest()) {
      // My own internal request: I am the one asked (confirm, rate, agree to a hold).
      const ref = state.selected;
      li.appendChild(choiceGroup("Your choices", message.buttons, (spec) =>
        choiceButton(spec, false, (button, group) => runChoice(ref, spec, group, button))));
    } else {
      // Choices offered to the customer: shown for context, not clickable here.
      li.appendChild(choiceGroup("Choices offered to the customer", message.buttons, (spec) =>
        element("span", "msg-button msg-button--static", choiceLabel(spec))));
    }
  }
  return li;
}

function isMyOwnRequest() {
  const item = state.convs.get(state.selected);
  const me = state.me && state.me.id != null ? "web:" + String(state.me.id) : "";
  return Boolean(item && me && item.customer_id === me);
}

async function runChoice(ref, spec, group, button) {
  if (button.disabled) return;
  const release = pressChoice(group, button);
  const label = "▸ " + choiceLabel(spec);
  try {
    const data = await call("POST", "/api/staff/action", {
      conversation: ref,
      action: String(spec.action ?? ""),
      value: String(spec.value ?? ""),
      label: choiceLabel(spec),
    });
    addResult(label, data.replies, null);
    if (ref === state.selected) syncTranscript().catch(() => {});
  } catch (err) {
    release();
    addResult(label, [], err.message);
  }
}

// Follows new messages while the transcript is scrolled to the bottom, also when the pane
// changes size (results area grows, window resizes).
const follow = followBottom(el.transcript);

function renderMessage(message) {
  if (!message || typeof message.seq !== "number" || state.bySeq.has(message.seq)) return;
  const stick = follow.pinned;
  const li = buildMessage(message);
  state.bySeq.set(message.seq, li);
  let before = null;
  for (const child of el.transcriptList.children) {
    if (Number(child.dataset.seq) > message.seq) {
      before = child;
      break;
    }
  }
  el.transcriptList.insertBefore(li, before);
  if (stick || message.role === "staff") follow.toBottom();
}

const transcript = new TranscriptSync({
  load: (after) => call(
    "GET",
    "/api/staff/conversations/" + encodeURIComponent(state.selected) + "/messages?after=" + after,
  ),
  render: renderMessage,
  epoch: () => state.selection,
});

function syncTranscript() {
  return state.selected ? transcript.run() : Promise.resolve();
}

// ---------- live updates ----------

function catchUp() {
  loadConversations().catch(() => {});
  syncTranscript().catch(() => {});
}

// Polls before each reconnect as well, so the desk stays usable when WebSockets are blocked.
const live = new LiveSocket({
  active: () => Boolean(state.token),
  url: () => "/api/staff/ws?token=" + encodeURIComponent(state.token),
  epoch: () => state.session,
  onMessage: (data) => {
    if (!data || typeof data !== "object") return;
    if (data.type === "message") onPushedMessage(data.conversation, data.message);
    else if (data.type === "conversation") upsertConversation(data.conversation);
    else if (data.type === "notice") onNotice(data);
  },
  catchUp,
  banner: el.connection,
  lostText: "Live updates interrupted. Reconnecting…",
});

function onPushedMessage(ref, message) {
  if (typeof ref !== "string" || !message) return;
  const item = state.convs.get(ref);
  if (!item) {
    scheduleReload(); // a conversation we don't know yet
  } else {
    const at = message.at || item.updated_at;
    if (parseTime(at) >= parseTime(item.updated_at)) {
      item.last_text = message.text;
      item.updated_at = at;
    }
  }
  if (ref === state.selected) {
    transcript.pushed(message);
  } else if (message.role === "customer") {
    state.unread.add(ref);
  }
  if (message.role === "customer" && document.hidden) title.bump();
  if (item) renderList();
}

// ---------- notices ----------

function onNotice(data) {
  const me = state.me && state.me.id != null ? String(state.me.id) : "";
  // Mine, or my department's queue (the server only sends a queue notice to its staff).
  const forMe = data.to === me || (typeof data.queue === "string" && data.queue !== "");
  if (!me || !forMe || typeof data.text !== "string" || !data.text.trim()) return;
  const ticket = typeof data.ticket === "string" && TICKET_RE.test(data.ticket) ? data.ticket : "";
  el.notices.prepend(buildNotice(data.text.trim(), ticket, new Date().toISOString()));
  while (el.notices.childElementCount > MAX_NOTICES) el.notices.lastElementChild.remove();
  renderNoticesHead();
  title.bump();
}

function buildNotice(text, ticket, at) {
  const li = element("li", "notice");
  if (ticket) li.dataset.ticket = ticket;

  const body = element("div", "notice__body");
  const when = formatTime(at);
  if (when) {
    const time = element("time", "notice__time", when.short);
    time.dateTime = at;
    time.title = when.full;
    body.appendChild(time);
  }
  body.appendChild(element("p", "notice__text", text));

  const actions = element("div", "notice__actions");
  if (ticket) {
    const open = element("button", "btn btn--small notice__open", "Open " + ticket);
    open.type = "button";
    open.addEventListener("click", () => submitCommand("/ticket " + ticket, true));
    actions.appendChild(open);
  }
  const dismiss = element("button", "btn btn--ghost btn--small notice__dismiss", "Dismiss");
  dismiss.type = "button";
  dismiss.setAttribute("aria-label", "Dismiss notice" + (ticket ? " about " + ticket : ""));
  dismiss.addEventListener("click", () => dismissNotice(li));
  actions.appendChild(dismiss);

  li.append(body, actions);
  return li;
}

function dismissNotice(li) {
  const next = li.nextElementSibling || li.previousElementSibling;
  const hadFocus = li.contains(document.activeElement);
  li.remove();
  renderNoticesHead();
  if (!el.notices.firstElementChild) title.clear();
  if (hadFocus) {
    const target = next ? next.querySelector(".notice__dismiss") : null;
    (target || el.commandInput).focus();
  }
}

function clearNotices() {
  el.notices.replaceChildren();
  renderNoticesHead();
}

function renderNoticesHead() {
  const count = el.notices.childElementCount;
  el.noticesHead.hidden = count === 0;
  el.noticesCount.textContent = count ? "(" + count + ")" : "";
}

el.noticesClear.addEventListener("click", () => {
  clearNotices();
  title.clear();
  el.commandInput.focus();
});

// ---------- commands ----------

/** "/reply C-12 Hello there" -> {command: "reply", text: "C-12 Hello there"} */
function parseCommand(input) {
  const match = /^\s*\/(\S+)(?:\s+([\s\S]*))?$/.exec(input);
  if (!match) return null;
  return { command: match[1].toLowerCase(), text: (match[2] || "").trim() };
}

function buildReplyNodes(replies, container) {
  for (const reply of Array.isArray(replies) ? replies : []) {
    if (!reply) continue;
    container.appendChild(element("p", "result__text", String(reply.text ?? "")));
    if (Array.isArray(reply.buttons) && reply.buttons.length > 0) {
      container.appendChild(choiceGroup("Actions", reply.buttons, (spec) =>
        choiceButton(spec, false, (button, group) => runAction(spec, group, button))));
    }
  }
}

function addResult(label, replies, error) {
  const li = element("li", "result" + (error ? " result--error" : ""));
  if (label) li.appendChild(element("p", "result__cmd", label));
  if (error) {
    li.appendChild(element("p", "result__text", error));
  } else {
    buildReplyNodes(replies, li);
    if (!li.querySelector(".result__text")) li.appendChild(element("p", "result__text", "Done."));
  }
  el.results.prepend(li);
  while (el.results.childElementCount > MAX_RESULTS) el.results.lastElementChild.remove();
  el.results.scrollTop = 0;
  return li;
}

function shorten(text, max) {
  const single = text.replace(/\s+/g, " ");
  return single.length > max ? single.slice(0, max - 1) + "…" : single;
}

async function runCommand(command, text, label) {
  const session = state.session;
  try {
    const data = await call("POST", "/api/staff/command", { command, text });
    if (session !== state.session) return false;
    addResult(label, data.replies, null);
    return true;
  } catch (err) {
    if (session !== state.session) return false;
    addResult(label, [], err.message);
    return false;
  }
}

async function runAction(spec, group, button) {
  if (button.disabled) return;
  const release = pressChoice(group, button);
  const session = state.session;
  const label = "▸ " + choiceLabel(spec);
  try {
    const data = await call("POST", "/api/staff/action", {
      action: String(spec.action ?? ""),
      value: String(spec.value ?? ""),
    });
    if (session !== state.session) return;
    addResult(label, data.replies, null);
  } catch (err) {
    if (session !== state.session) return;
    release();
    addResult(label, [], err.message);
  }
}

/**
 * Run a command line as typed in the command box: kept in the history, its result shown on
 * top of the results. `reveal` scrolls the results into view (for runs started elsewhere).
 */
async function submitCommand(raw, reveal) {
  const line = raw.trim();
  if (!line) return;
  const parsed = parseCommand(line);
  if (!parsed) {
    addResult(line, [], "Commands start with a slash, for example /help or /reply C-12 Hello.");
    return;
  }
  state.history.push(line);
  if (state.history.length > MAX_HISTORY) state.history.shift();
  state.historyPos = state.history.length;
  await runCommand(parsed.command, parsed.text, line);
  if (reveal && el.results.firstElementChild) {
    el.results.firstElementChild.scrollIntoView({ block: "nearest" });
  }
  if (parsed.command === "reply" && state.selected && parsed.text.split(/\s+/)[0] === state.selected) {
    syncTranscript().catch(() => {});
  }
}

el.commandForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const raw = el.commandInput.value;
  if (!raw.trim()) return;
  if (parseCommand(raw)) el.commandInput.value = "";
  submitCommand(raw, false);
});

el.commandInput.addEventListener("keydown", (event) => {
  if (event.key === "ArrowUp" && state.historyPos > 0) {
    event.preventDefault();
    state.historyPos -= 1;
    el.commandInput.value = state.history[state.historyPos];
  } else if (event.key === "ArrowDown" && state.historyPos < state.history.length) {
    event.preventDefault();
    state.historyPos += 1;
    el.commandInput.value = state.history[state.historyPos] ?? "";
  }
});

// ---------- reply box ----------

async function sendReply() {
  const ref = state.selected;
  const text = el.replyInput.value.trim();
  if (!ref || !text) {
    el.replyInput.focus();
    return;
  }
  el.replySend.disabled = true;
  const ok = await runCommand("reply", ref + " " + text, "/reply " + ref + " " + shorten(text, 60));
  el.replySend.disabled = false;
  if (ok && el.replyInput.value.trim() === text) {
    el.replyInput.value = "";
    autoGrow(el.replyInput, REPLY_MAX_PX);
  }
  if (ref === state.selected) syncTranscript().catch(() => {});
  el.replyInput.focus();
}

function replyIfReady() {
  if (!el.replySend.disabled) sendReply();
}

el.replyForm.addEventListener("submit", (event) => {
  event.preventDefault();
  replyIfReady();
});

sendOnEnter(el.replyInput, replyIfReady);

el.replyInput.addEventListener("input", () => autoGrow(el.replyInput, REPLY_MAX_PX));

// ---------- wiring ----------

el.loginForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const token = el.token.value.trim();
  if (!token) {
    showLoginError("Enter your staff token.");
    el.token.focus();
    return;
  }
  signIn(token, false);
});

el.logout.addEventListener("click", () => {
  try {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  } catch (_) {
    /* ignore */
  }
  signOut("");
});

el.convFilter.addEventListener("input", renderList);

window.addEventListener("hashchange", () => {
  const ref = decodeURIComponent(window.location.hash.slice(1));
  if (ref && state.token) select(ref);
});

live.reconnectOnReturn(() => title.clear());

// ---------- start ----------

setWsState("closed");
const saved = tabStore.get(KEY_TOKEN);
if (saved) {
  el.loginView.hidden = true;
  signIn(saved, true);
} else {
  showLogin();
}
