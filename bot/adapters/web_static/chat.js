/* Customer chat page. Plain JS (an ES module), no dependencies beyond common.js.
 *
 * Server text is only ever inserted with textContent / createTextNode (never innerHTML).
 * Every message is rendered once, keyed by its seq: replies arrive in the POST response,
 * over the WebSocket and from GET .../messages?after=N, and all three are merged here.
 *
 * For tests: <body data-ws="open|connecting|closed"> tells the socket state, and
 * <body data-conversation="1"> is set once a conversation exists.
 */
import {
  LiveSocket,
  TranscriptSync,
  autoGrow,
  choiceButton,
  choiceGroup,
  element,
  followBottom,
  jsonApi,
  messageItem,
  messageMeta,
  messageRole,
  pressChoice,
  safeStorage,
  sendOnEnter,
  sentence,
  setWsState,
  unreadTitle,
} from "./common.js";
import { T, browserLanguages, followLanguage, showPageLanguage } from "./page_language.js";

const MAX_LEN = 4000;
const COUNT_FROM = 3500;
const INPUT_MAX_PX = 180;
const KEY_CONV = "supportbot.conversation";
const KEY_USER = "supportbot.user";
const KEY_CLICKED = "supportbot.clicked";

// ---------- storage (localStorage may be unavailable, e.g. some private modes) ----------

const store = safeStorage("localStorage");

function randomId() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") {
    return window.crypto.randomUUID();
  }
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function loadUser() {
  try {
    const user = JSON.parse(store.get(KEY_USER) || "null");
    if (user && typeof user.id === "string" && user.id) {
      return { id: user.id, name: typeof user.name === "string" ? user.name : "" };
    }
  } catch (_) {
    /* fall through */
  }
  const user = { id: "web-" + randomId(), name: "" };
  store.set(KEY_USER, JSON.stringify(user));
  return user;
}

// ---------- elements & state ----------

const el = {
  messages: document.getElementById("messages"),
  scroll: document.getElementById("chat-scroll"),
  intro: document.getElementById("intro"),
  form: document.getElementById("composer"),
  input: document.getElementById("message-input"),
  send: document.getElementById("send"),
  error: document.getElementById("error"),
  errorText: document.getElementById("error-text"),
  errorClose: document.getElementById("error-close"),
  count: document.getElementById("char-count"),
  newConv: document.getElementById("new-conversation"),
  connection: document.getElementById("connection"),
};

const state = {
  conversation: store.get(KEY_CONV),
  user: loadUser(),
  generation: 0, // bumped on "New conversation": late answers for the old one are ignored
  bySeq: new Map(), // seq -> <li>
  messages: new Map(), // seq -> the message shown there (to redraw its labels)
  pending: [], // {text, key, li, acked}
  queue: Promise.resolve(), // sends and button clicks go out one at a time, in order
  inFlight: 0,
  gone: false,
  clicked: {}, // seq -> index of the clicked button
};

const title = unreadTitle();

// ---------- helpers ----------

function charLength(text) {
  return Array.from(text).length; // code points, like Python's len()
}

// The conversation is unknown, or this browser no longer holds its customer token (the cookie
// expired or was cleared): it cannot be opened here again, so the page offers a new one.
const lost = (err) => Boolean(err) && [401, 403, 404].includes(err.status);

function politeError(status, text) {
  if (lost({ status })) return T.gone;
  if (status === 413) return text || T.too_long;
  if (status === 429) return text || T.too_fast;
  if (status >= 500 || status === 0) return T.our_side;
  return text ? sentence(text) : T.didnt_work;
}

// Built per call so that errors are told in the language the page is in now.
const api = (...args) =>
  jsonApi({ explain: politeError, unreachable: T.unreachable, unexpected: T.our_side })(...args);

function convPath(suffix) {
  return "/api/chat/" + encodeURIComponent(state.conversation) + suffix;
}

function normalise(text) {
  return String(text).replace(/\r\n?/g, "\n").replace(/\s+/g, " ").trim();
}

// The scroll area also changes size when the composer grows or the keyboard opens on a phone.
const follow = followBottom(el.scroll, el.messages);

function updateIntro() {
  el.intro.hidden = el.messages.childElementCount > 0;
}

// ---------- errors ----------

function showError(message, action) {
  el.errorText.textContent = message;
  const old = el.error.querySelector(".alert__action");
  if (old) old.remove();
  if (action) {
    const button = element("button", "btn btn--small alert__action", action.label);
    button.type = "button";
    button.addEventListener("click", action.run);
    el.error.insertBefore(button, el.errorClose);
  }
  el.error.hidden = false;
}

function clearError() {
  el.error.hidden = true;
  el.errorText.textContent = "";
  const old = el.error.querySelector(".alert__action");
  if (old) old.remove();
}

function showApiError(err) {
  if (lost(err)) {
    conversationGone();
    return;
  }
  showError(err && err.message ? err.message : T.didnt_work);
}

function conversationGone() {
  state.gone = true;
  live.close();
  showError(T.gone, { label: T.start_new, run: () => newConversation() });
}

// ---------- rendering ----------

function labelFor(message) {
  if (message.role === "customer") return T.you;
  if (message.role === "staff") return message.author || T.support_team;
  return message.author || T.assistant;
}

function buildMeta(message) {
  const badge = message.role === "staff" ? element("span", "msg__badge", T.support_team) : null;
  return messageMeta(labelFor(message), badge, message.at, "msg__time");
}

function buildButtons(seq, buttons) {
  const clickedIndex = Object.prototype.hasOwnProperty.call(state.clicked, String(seq))
    ? state.clicked[String(seq)]
    : null;
  return choiceGroup(T.choices, buttons, (spec, index) => {
    const button = choiceButton(spec, clickedIndex === index, (b, group) =>
      clickButton(seq, index, spec, group, b));
    if (clickedIndex !== null) button.disabled = true;
    return button;
  });
}

function buildMessage(message, partial) {
  const role = messageRole(message);
  const li = messageItem(message, role, role === "customer", buildMeta(message));
  if (partial) li.dataset.partial = "1";
  if (Array.isArray(message.buttons) && message.buttons.length > 0) {
    li.appendChild(buildButtons(message.seq, message.buttons));
  }
  return li;
}

function insertBySeq(li, seq) {
  for (const child of el.messages.children) {
    const other = child.dataset.seq;
    if (other !== undefined && Number(other) > seq) {
      el.messages.insertBefore(li, child);
      return;
    }
  }
  el.messages.appendChild(li);
}

/** Render one message (full object from the socket or GET, or a POST reply when partial). */
function render(message, partial) {
  if (!message || typeof message.seq !== "number") return;
  const seq = message.seq;
  const existing = state.bySeq.get(seq);
  if (existing) {
    // Already shown. A POST reply lacks author/time: fill them in from the full message.
    if (!partial && existing.dataset.partial) {
      state.messages.set(seq, message);
      const meta = buildMeta(message);
      existing.replaceChild(meta, existing.querySelector(".msg__meta"));
      delete existing.dataset.partial;
    }
    return;
  }
  const stick = follow.pinned;
  let mine = false;
  const li = buildMessage(message, partial);
  if (message.role === "customer") {
    const key = normalise(message.text ?? "");
    let idx = state.pending.findIndex((p) => p.key === key);
    if (idx < 0) idx = state.pending.findIndex((p) => p.acked);
    if (idx >= 0) {
      const [p] = state.pending.splice(idx, 1);
      p.li.remove();
      mine = true;
    }
  } else if (document.hidden) {
    title.bump();
  }
  state.bySeq.set(seq, li);
  state.messages.set(seq, message);
  insertBySeq(li, seq);
  updateIntro();
  if (stick || mine) follow.toBottom();
}

function renderReplies(replies) {
  if (!Array.isArray(replies)) return;
  for (const reply of replies) {
    if (!reply || typeof reply.seq !== "number") continue;
    render(
      { seq: reply.seq, role: "bot", author: "", text: reply.text, buttons: reply.buttons, at: null },
      true,
    );
  }
}

function addPending(text) {
  const li = buildMessage({ role: "customer", text, buttons: [], at: new Date().toISOString() }, false);
  li.classList.add("msg--pending");
  li.dataset.pending = "1";
  el.messages.appendChild(li);
  const entry = { text, key: normalise(text), li, acked: false };
  state.pending.push(entry);
  updateIntro();
  follow.toBottom();
  return entry;
}

function dropPending(entry) {
  const idx = state.pending.indexOf(entry);
  if (idx >= 0) state.pending.splice(idx, 1);
  entry.li.remove();
  updateIntro();
}

let typingEl = null;
function setTyping(on) {
  if (on && !typingEl) {
    typingEl = element("div", "msg msg--bot typing");
    typingEl.setAttribute("aria-hidden", "true");
    const bubble = element("div", "msg__bubble");
    for (let i = 0; i < 3; i += 1) bubble.appendChild(element("span", "typing__dot"));
    typingEl.appendChild(bubble);
    el.messages.after(typingEl);
    if (follow.pinned) follow.toBottom();
  } else if (!on && typingEl) {
    typingEl.remove();
    typingEl = null;
  }
}

// ---------- conversation state ----------

function loadClicked() {
  state.clicked = {};
  try {
    const saved = JSON.parse(store.get(KEY_CLICKED) || "null");
    if (saved && saved.conversation === state.conversation && saved.clicked) {
      state.clicked = saved.clicked;
    }
  } catch (_) {
    /* ignore */
  }
}

function saveClicked() {
  store.set(KEY_CLICKED, JSON.stringify({ conversation: state.conversation, clicked: state.clicked }));
}

function setConversation(id) {
  state.conversation = id;
  store.set(KEY_CONV, id);
  loadClicked();
  el.newConv.hidden = false;
  document.body.dataset.conversation = "1";
}

function resetView() {
  state.generation += 1;
  live.close();
  live.attempt = 0;
  state.bySeq.clear();
  state.messages.clear();
  transcript.reset();
  state.pending = [];
  state.gone = false;
  state.clicked = {};
  state.queue = Promise.resolve();
  state.inFlight = 0;
  setTyping(false);
  el.messages.replaceChildren();
  el.connection.hidden = true;
  clearError();
  updateIntro();
}

function forgetConversation() {
  state.conversation = null;
  el.newConv.hidden = true;
  delete document.body.dataset.conversation;
}

function newConversation() {
  resetView();
  forgetConversation();
  store.remove(KEY_CONV);
  store.remove(KEY_CLICKED);
  el.input.focus();
}

// ---------- syncing & live updates ----------

const active = () => Boolean(state.conversation) && !state.gone;
const epoch = () => state.generation;

const transcript = new TranscriptSync({
  load: (after) => api("GET", convPath("/messages?after=" + after)),
  render: (message) => render(message, false),
  epoch,
  onError: (err) => {
    if (lost(err)) conversationGone();
    else throw err;
  },
});

function sync() {
  return active() ? transcript.run() : Promise.resolve();
}

// Polls once before each reconnect too, so messages still arrive if WebSockets are blocked.
const live = new LiveSocket({
  active,
  url: () => convPath("/ws"),
  epoch,
  onMessage: (data) => {
    if (data && data.type === "message" && data.message) {
      transcript.pushed(data.message);
      if (data.message.role !== "customer") setTyping(false);
    }
  },
  catchUp: () => sync().catch(() => {}),
  banner: el.connection,
  lostText: T.connection_lost,
});

// ---------- sending ----------

function enqueue(task) {
  const gen = state.generation;
  const next = state.queue.then(() => (gen === state.generation ? task() : undefined));
  state.queue = next.catch(() => {});
  return next;
}

/** Run one request with the typing dots showing until the last request in flight is done. */
async function withTyping(task) {
  const gen = state.generation;
  state.inFlight += 1;
  setTyping(true);
  try {
    await task();
  } finally {
    if (gen === state.generation) {
      state.inFlight -= 1;
      if (state.inFlight === 0) setTyping(false);
    }
  }
}

/** Show the replies a POST returned, then fetch what else was recorded (authors, times). */
async function showReplies(data) {
  clearError();
  renderReplies(data.replies);
  await sync().catch(() => {
    /* the socket or the next reconnect will catch up */
  });
}

function restoreText(text) {
  const current = el.input.value;
  el.input.value = current.trim() ? text + "\n" + current : text;
  composerChanged();
  el.input.focus();
}

async function sendText(text) {
  const gen = state.generation;
  const entry = addPending(text);
  await withTyping(async () => {
    try {
      const body = { user: state.user, text, locales: browserLanguages() };
      if (state.conversation) body.conversation = state.conversation;
      const data = await api("POST", "/api/chat", body);
      if (gen !== state.generation) return;
      entry.acked = true;
      if (!state.conversation && typeof data.conversation === "string" && data.conversation) {
        setConversation(data.conversation);
        live.connect();
      }
      followLanguage(data.language, state.conversation, relabel);
      await showReplies(data);
      if (gen !== state.generation) return;
      if (state.pending.includes(entry)) {
        // Stored but not echoed back (yet): show it as sent anyway.
        entry.li.classList.remove("msg--pending");
        delete entry.li.dataset.pending;
        state.pending.splice(state.pending.indexOf(entry), 1);
      }
    } catch (err) {
      if (gen !== state.generation) return;
      dropPending(entry);
      restoreText(text);
      showApiError(err);
    }
  });
}

function submit() {
  const text = el.input.value;
  if (!text.trim()) {
    el.input.focus();
    return;
  }
  if (charLength(text) > MAX_LEN) {
    showError(T.too_long);
    el.input.focus();
    return;
  }
  if (state.gone) {
    conversationGone();
    return;
  }
  el.input.value = "";
  composerChanged();
  enqueue(() => sendText(text));
}

function clickButton(seq, index, spec, group, button) {
  if (!state.conversation || button.disabled) return;
  const release = pressChoice(group, button);
  const gen = state.generation;
  enqueue(() => withTyping(async () => {
    try {
      const data = await api("POST", "/api/chat/action", {
        conversation: state.conversation,
        user: state.user,
        action: String(spec.action ?? ""),
        value: String(spec.value ?? ""),
      });
      if (gen !== state.generation) return;
      state.clicked[String(seq)] = index;
      saveClicked();
      followLanguage(data.language, state.conversation, relabel);
      await showReplies(data);
    } catch (err) {
      if (gen !== state.generation) return;
      release();
      showApiError(err);
    }
  }));
}

// ---------- composer ----------

function updateCount() {
  const n = charLength(el.input.value);
  if (n >= COUNT_FROM) {
    el.count.textContent = n.toLocaleString() + " / " + MAX_LEN.toLocaleString();
    el.count.classList.toggle("composer__count--over", n > MAX_LEN);
  } else if (el.count.textContent) {
    el.count.textContent = "";
    el.count.classList.remove("composer__count--over");
  }
}

function composerChanged() {
  autoGrow(el.input, INPUT_MAX_PX);
  updateCount();
}

el.form.addEventListener("submit", (event) => {
  event.preventDefault();
  submit();
});

sendOnEnter(el.input, submit);

el.input.addEventListener("input", composerChanged);

el.errorClose.addEventListener("click", () => {
  clearError();
  el.input.focus();
});

el.newConv.addEventListener("click", (event) => {
  event.preventDefault();
  newConversation();
});

live.reconnectOnReturn(() => title.clear());

// Another tab started a new conversation (or cleared it): follow it.
window.addEventListener("storage", (event) => {
  if (event.key !== KEY_CONV && event.key !== null) return;
  const id = store.get(KEY_CONV);
  if (id === state.conversation) return;
  resetView();
  if (id) start(id);
  else forgetConversation();
});

function start(id) {
  setConversation(id);
  showPageLanguage(id, relabel);
  sync().catch(() => {});
  live.connect();
}

/** Redraw what carries page texts after the language changed: message labels, the banner. */
function relabel() {
  live.lostText = T.connection_lost;
  for (const li of el.messages.querySelectorAll(".msg[data-role]")) {
    const meta = li.querySelector(".msg__meta");
    const seq = Number(li.dataset.seq);
    const message = state.messages.get(seq);
    if (meta && message) li.replaceChild(buildMeta(message), meta);
  }
}

// ---------- start ----------

setWsState("closed");
if (state.conversation) {
  start(state.conversation);
} else {
  showPageLanguage(null, relabel);
  updateIntro();
}
