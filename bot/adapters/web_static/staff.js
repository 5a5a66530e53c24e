/* Staff desk page. Plain JS, no dependencies.
 *
 * All server text (customer names, messages, command output) is inserted with
 * textContent / createTextNode only, never innerHTML.
 *
 * For tests: <body data-ws="open|connecting|closed"> tells the socket state and
 * <body data-selected="C-12"> the selected conversation.
 */
(() => {
  "use strict";

  const KEY_TOKEN = "supportbot.staffToken";
  const BACKOFF_MIN_MS = 1000;
  const BACKOFF_MAX_MS = 30000;
  const MAX_RESULTS = 40;
  const MAX_HISTORY = 50;

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
    syncedSeq: 0,
    syncing: null,
    syncAgain: false,
    ws: null,
    attempt: 0,
    reconnectTimer: null,
    listTimer: null,
    reloadTimer: null,
    history: [],
    historyPos: 0,
    titleUnread: 0,
  };

  const baseTitle = document.title;

  // ---------- session storage ----------

  function loadToken() {
    try {
      return window.sessionStorage.getItem(KEY_TOKEN);
    } catch (_) {
      return null;
    }
  }

  function saveToken(token) {
    try {
      if (token) window.sessionStorage.setItem(KEY_TOKEN, token);
      else window.sessionStorage.removeItem(KEY_TOKEN);
    } catch (_) {
      /* ignore: the token then lives only in memory */
    }
  }

  // ---------- API ----------

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  function politeError(status, serverText) {
    const text = typeof serverText === "string" ? serverText.trim() : "";
    if (status === 0) return "Couldn't reach the server. Check your connection and try again.";
    if (status >= 500 && !text) return "The server had a problem (" + status + "). Please try again.";
    if (text) return text.charAt(0).toUpperCase() + text.slice(1);
    return "That didn't work (" + status + "). Please try again.";
  }

  async function api(method, path, body, token) {
    const headers = { Accept: "application/json", Authorization: "Bearer " + (token ?? state.token ?? "") };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
        credentials: "same-origin",
      });
    } catch (_) {
      throw new ApiError(0, politeError(0, ""));
    }
    let data = null;
    try {
      data = await response.json();
    } catch (_) {
      data = null;
    }
    if (!response.ok) {
      throw new ApiError(response.status, politeError(response.status, data && data.error));
    }
    if (!data || typeof data !== "object") {
      throw new ApiError(response.status, "The server sent an unexpected answer.");
    }
    return data;
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

  function setWsState(value) {
    document.body.dataset.ws = value;
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

  function messageTime(iso) {
    const t = parseTime(iso);
    if (!t) return null;
    const date = new Date(t);
    const time = date.toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
    const short = date.toDateString() === new Date().toDateString()
      ? time
      : date.toLocaleDateString([], { month: "short", day: "numeric" }) + ", " + time;
    return { short, full: date.toLocaleString() };
  }

  function slug(text) {
    return String(text || "").toLowerCase().replace(/[^a-z0-9-]+/g, "-");
  }

  function chip(text, extraClass) {
    const span = document.createElement("span");
    span.className = "chip" + (extraClass ? " " + extraClass : "");
    span.textContent = text;
    return span;
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
    closeSocket();
    clearInterval(state.listTimer);
    clearTimeout(state.reloadTimer);
    state.convs.clear();
    state.unread.clear();
    deselect();
    el.convList.replaceChildren();
    el.results.replaceChildren();
    el.connection.hidden = true;
    showLoginError(message || "");
    showLogin();
  }

  function startDesk() {
    el.staffName.textContent = String(state.me && (state.me.name || state.me.id) || "");
    el.loginView.hidden = true;
    el.appView.hidden = false;
    loadConversations().catch(() => {});
    connect();
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

    const top = document.createElement("div");
    top.className = "conv__top";
    const customer = document.createElement("span");
    customer.className = "conv__customer";
    customer.textContent = String(item.customer || "Unknown customer");
    const time = document.createElement("time");
    time.className = "conv__time";
    if (item.updated_at) {
      time.dateTime = String(item.updated_at);
      time.textContent = relativeTime(item.updated_at);
      const full = messageTime(item.updated_at);
      if (full) time.title = full.full;
    }
    top.append(customer, time);

    const last = document.createElement("div");
    last.className = "conv__last";
    last.textContent = String(item.last_text ?? "");

    const tags = document.createElement("div");
    tags.className = "conv__tags";
    const ref = document.createElement("span");
    ref.className = "conv__ref";
    ref.textContent = item.ref;
    tags.appendChild(ref);
    if (item.status) tags.appendChild(chip(String(item.status), "chip--" + slug(item.status)));
    if (item.language) tags.appendChild(chip(String(item.language).toUpperCase()));
    if (state.unread.has(item.ref)) {
      const note = document.createElement("span");
      note.className = "visually-hidden";
      note.textContent = "New messages";
      tags.appendChild(note);
    }

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
      const empty = document.createElement("li");
      empty.className = "conv-list__empty";
      empty.textContent = all.length === 0 ? "No conversations yet." : "No conversation matches the filter.";
      nodes.push(empty);
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
    const parts = [];
    const ref = document.createElement("span");
    ref.className = "conv__ref";
    ref.textContent = state.selected;
    parts.push(ref);
    if (item && item.status) parts.push(chip(String(item.status), "chip--" + slug(item.status)));
    if (item && item.language) parts.push(chip(String(item.language).toUpperCase()));
    el.convMeta.replaceChildren(...parts);
  }

  function deselect() {
    state.selection += 1;
    state.selected = null;
    state.bySeq.clear();
    state.syncedSeq = 0;
    state.syncing = null;
    state.syncAgain = false;
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

  function buildMessage(message) {
    const role = ["customer", "bot", "staff"].includes(message.role) ? message.role : "bot";
    const li = document.createElement("li");
    li.className = "msg msg--" + role + (role === "customer" ? "" : " msg--mine");
    li.dataset.seq = String(message.seq);
    li.dataset.role = role;

    const meta = document.createElement("div");
    meta.className = "msg__meta";
    const author = document.createElement("span");
    author.className = "msg__author";
    const item = state.convs.get(state.selected);
    if (role === "customer") author.textContent = String(message.author || (item && item.customer) || "Customer");
    else if (role === "staff") author.textContent = String(message.author || "Staff");
    else author.textContent = String(message.author || "Assistant");
    meta.appendChild(author);
    if (role === "staff") {
      const badge = document.createElement("span");
      badge.className = "msg__badge";
      badge.textContent = "Staff";
      meta.appendChild(badge);
    } else if (role === "bot") {
      const badge = document.createElement("span");
      badge.className = "chip";
      badge.textContent = "Bot";
      meta.appendChild(badge);
    }
    const when = messageTime(message.at);
    if (when) {
      const time = document.createElement("time");
      time.dateTime = String(message.at);
      time.title = when.full;
      time.textContent = when.short;
      meta.appendChild(time);
    }
    li.appendChild(meta);

    const bubble = document.createElement("div");
    bubble.className = "msg__bubble";
    const text = document.createElement("p");
    text.className = "msg__text";
    text.textContent = String(message.text ?? "");
    bubble.appendChild(text);
    li.appendChild(bubble);

    if (Array.isArray(message.buttons) && message.buttons.length > 0) {
      // Choices offered to the customer: shown for context, not clickable here.
      const group = document.createElement("div");
      group.className = "msg__buttons";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Choices offered to the customer");
      for (const spec of message.buttons) {
        if (!spec || typeof spec !== "object") continue;
        const span = document.createElement("span");
        span.className = "msg-button msg-button--static";
        span.textContent = String(spec.label ?? spec.value ?? "");
        group.appendChild(span);
      }
      li.appendChild(group);
    }
    return li;
  }

  function renderMessage(message) {
    if (!message || typeof message.seq !== "number" || state.bySeq.has(message.seq)) return;
    const box = el.transcript;
    const stick = pinned;
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
    if (stick || message.role === "staff") {
      box.scrollTop = box.scrollHeight;
      pinned = true;
    }
  }

  // Follow new messages while the transcript is scrolled to the bottom, also when the
  // pane changes size (results area grows, window resizes).
  let pinned = true;
  el.transcript.addEventListener("scroll", () => {
    const box = el.transcript;
    pinned = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  }, { passive: true });
  if (typeof ResizeObserver === "function") {
    new ResizeObserver(() => {
      if (pinned) el.transcript.scrollTop = el.transcript.scrollHeight;
    }).observe(el.transcript);
  }

  function syncTranscript() {
    const ref = state.selected;
    if (!ref) return Promise.resolve();
    if (state.syncing) {
      state.syncAgain = true;
      return state.syncing;
    }
    const selection = state.selection;
    const run = async () => {
      let first = state.bySeq.size === 0;
      do {
        state.syncAgain = false;
        const data = await call(
          "GET",
          "/api/staff/conversations/" + encodeURIComponent(ref) + "/messages?after=" + state.syncedSeq,
        );
        if (selection !== state.selection) return;
        let top = state.syncedSeq;
        for (const message of Array.isArray(data.messages) ? data.messages : []) {
          renderMessage(message);
          if (typeof message.seq === "number" && message.seq > top) top = message.seq;
        }
        state.syncedSeq = top;
        if (first) {
          el.transcript.scrollTop = el.transcript.scrollHeight;
          pinned = true;
          first = false;
        }
      } while (state.syncAgain);
    };
    const promise = run().finally(() => {
      if (state.syncing === promise) state.syncing = null;
    });
    state.syncing = promise;
    return promise;
  }

  // ---------- WebSocket ----------

  function closeSocket() {
    clearTimeout(state.reconnectTimer);
    state.reconnectTimer = null;
    const ws = state.ws;
    state.ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try {
        ws.close();
      } catch (_) {
        /* ignore */
      }
    }
    setWsState("closed");
  }

  function connect() {
    if (!state.token) return;
    closeSocket();
    const session = state.session;
    const proto = window.location.protocol === "https:" ? "wss:" : "ws:";
    const url = proto + "//" + window.location.host + "/api/staff/ws?token=" + encodeURIComponent(state.token);
    let ws;
    try {
      ws = new WebSocket(url);
    } catch (_) {
      scheduleReconnect();
      return;
    }
    state.ws = ws;
    setWsState("connecting");
    ws.onopen = () => {
      if (state.ws !== ws) return;
      state.attempt = 0;
      el.connection.hidden = true;
      setWsState("open");
      loadConversations().catch(() => {});
      syncTranscript().catch(() => {});
    };
    ws.onmessage = (event) => {
      if (state.ws !== ws || session !== state.session) return;
      let data;
      try {
        data = JSON.parse(event.data);
      } catch (_) {
        return;
      }
      if (!data || typeof data !== "object") return;
      if (data.type === "message") onPushedMessage(data.conversation, data.message);
      else if (data.type === "conversation") upsertConversation(data.conversation);
    };
    ws.onclose = () => {
      if (state.ws !== ws) return;
      state.ws = null;
      setWsState("closed");
      scheduleReconnect();
    };
    ws.onerror = () => {
      /* a close event follows */
    };
  }

  function scheduleReconnect() {
    if (!state.token) return;
    clearTimeout(state.reconnectTimer);
    state.attempt += 1;
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** (state.attempt - 1));
    const delay = Math.round(base * (0.75 + Math.random() * 0.5));
    if (state.attempt >= 2) {
      el.connection.textContent = "Live updates interrupted. Reconnecting…";
      el.connection.hidden = false;
    }
    state.reconnectTimer = setTimeout(() => {
      state.reconnectTimer = null;
      // Poll as well, so the desk stays usable when WebSockets are blocked.
      loadConversations().catch(() => {});
      syncTranscript().catch(() => {});
      connect();
    }, delay);
  }

  function reconnectNow() {
    if (!state.token) return;
    if (state.ws && (state.ws.readyState === WebSocket.OPEN || state.ws.readyState === WebSocket.CONNECTING)) {
      return;
    }
    state.attempt = 0;
    connect();
  }

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
      renderMessage(message);
      if (message.seq === state.syncedSeq + 1) state.syncedSeq = message.seq;
    } else if (message.role === "customer") {
      state.unread.add(ref);
    }
    if (message.role === "customer" && document.hidden) {
      state.titleUnread += 1;
      document.title = "(" + state.titleUnread + ") " + baseTitle;
    }
    if (item) renderList();
  }

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
      const text = document.createElement("p");
      text.className = "result__text";
      text.textContent = String(reply.text ?? "");
      container.appendChild(text);
      if (Array.isArray(reply.buttons) && reply.buttons.length > 0) {
        const group = document.createElement("div");
        group.className = "msg__buttons";
        group.setAttribute("role", "group");
        group.setAttribute("aria-label", "Actions");
        for (const spec of reply.buttons) {
          if (!spec || typeof spec !== "object") continue;
          const button = document.createElement("button");
          button.type = "button";
          button.className = "msg-button";
          button.textContent = String(spec.label ?? spec.value ?? "");
          button.setAttribute("aria-pressed", "false");
          button.addEventListener("click", () => runAction(spec, group, button));
          group.appendChild(button);
        }
        container.appendChild(group);
      }
    }
  }

  function addResult(label, replies, error) {
    const li = document.createElement("li");
    li.className = "result" + (error ? " result--error" : "");
    if (label) {
      const cmd = document.createElement("p");
      cmd.className = "result__cmd";
      cmd.textContent = label;
      li.appendChild(cmd);
    }
    if (error) {
      const text = document.createElement("p");
      text.className = "result__text";
      text.textContent = error;
      li.appendChild(text);
    } else {
      buildReplyNodes(replies, li);
      if (!li.querySelector(".result__text")) {
        const text = document.createElement("p");
        text.className = "result__text";
        text.textContent = "Done.";
        li.appendChild(text);
      }
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
    const buttons = Array.from(group.querySelectorAll("button"));
    for (const b of buttons) b.disabled = true;
    button.setAttribute("aria-pressed", "true");
    const session = state.session;
    const label = "▸ " + String(spec.label ?? spec.value ?? "");
    try {
      const data = await call("POST", "/api/staff/action", {
        action: String(spec.action ?? ""),
        value: String(spec.value ?? ""),
      });
      if (session !== state.session) return;
      addResult(label, data.replies, null);
    } catch (err) {
      if (session !== state.session) return;
      for (const b of buttons) b.disabled = false;
      button.setAttribute("aria-pressed", "false");
      addResult(label, [], err.message);
    }
  }

  el.commandForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const raw = el.commandInput.value;
    if (!raw.trim()) return;
    const parsed = parseCommand(raw);
    if (!parsed) {
      addResult(raw.trim(), [], "Commands start with a slash, for example /help or /reply C-12 Hello.");
      return;
    }
    state.history.push(raw.trim());
    if (state.history.length > MAX_HISTORY) state.history.shift();
    state.historyPos = state.history.length;
    el.commandInput.value = "";
    await runCommand(parsed.command, parsed.text, raw.trim());
    if (parsed.command === "reply" && state.selected && parsed.text.split(/\s+/)[0] === state.selected) {
      syncTranscript().catch(() => {});
    }
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
      autoGrow(el.replyInput);
    }
    if (ref === state.selected) syncTranscript().catch(() => {});
    el.replyInput.focus();
  }

  function autoGrow(textarea) {
    textarea.style.height = "auto";
    textarea.style.height = Math.min(textarea.scrollHeight + 2, 160) + "px";
  }

  el.replyForm.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!el.replySend.disabled) sendReply();
  });

  el.replyInput.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      if (!el.replySend.disabled) sendReply();
    }
  });

  el.replyInput.addEventListener("input", () => autoGrow(el.replyInput));

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

  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) {
      state.titleUnread = 0;
      document.title = baseTitle;
      reconnectNow();
    }
  });

  window.addEventListener("online", reconnectNow);

  // ---------- start ----------

  setWsState("closed");
  const saved = loadToken();
  if (saved) {
    el.loginView.hidden = true;
    signIn(saved, true);
  } else {
    showLogin();
  }
})();
