/* Customer chat page. Plain JS, no dependencies.
 *
 * Server text is only ever inserted with textContent / createTextNode (never innerHTML).
 * Every message is rendered once, keyed by its seq: replies arrive in the POST response,
 * over the WebSocket and from GET .../messages?after=N, and all three are merged here.
 *
 * For tests: <body data-ws="open|connecting|closed"> tells the socket state, and
 * <body data-conversation="1"> is set once a conversation exists.
 */
(() => {
  "use strict";

  const MAX_LEN = 4000;
  const COUNT_FROM = 3500;
  const KEY_CONV = "supportbot.conversation";
  const KEY_USER = "supportbot.user";
  const KEY_CLICKED = "supportbot.clicked";
  const BACKOFF_MIN_MS = 1000;
  const BACKOFF_MAX_MS = 30000;

  // ---------- storage (localStorage may be unavailable, e.g. some private modes) ----------

  const memory = new Map();
  const store = {
    get(key) {
      try {
        return window.localStorage.getItem(key);
      } catch (_) {
        return memory.has(key) ? memory.get(key) : null;
      }
    },
    set(key, value) {
      try {
        window.localStorage.setItem(key, value);
      } catch (_) {
        memory.set(key, value);
      }
    },
    remove(key) {
      try {
        window.localStorage.removeItem(key);
      } catch (_) {
        memory.delete(key);
      }
    },
  };

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
    syncedSeq: 0, // every message with seq <= syncedSeq has been rendered
    pending: [], // {text, key, li, acked}
    queue: Promise.resolve(), // sends and button clicks go out one at a time, in order
    inFlight: 0,
    ws: null,
    attempt: 0,
    reconnectTimer: null,
    syncing: null,
    syncAgain: false,
    gone: false,
    unread: 0,
    clicked: {}, // seq -> index of the clicked button
  };

  const baseTitle = document.title;

  // ---------- helpers ----------

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  function charLength(text) {
    return Array.from(text).length; // code points, like Python's len()
  }

  function politeError(status, serverText) {
    const text = typeof serverText === "string" ? serverText.trim() : "";
    if (status === 404) {
      return "This conversation is no longer available. Please start a new conversation.";
    }
    if (status === 413) {
      return text || "That message is too long (max 4,000 characters).";
    }
    if (status === 429) {
      return text || "You're sending messages a little fast. Please wait a moment and try again.";
    }
    if (status >= 500 || status === 0) {
      return "Something went wrong on our side. Please try again in a moment.";
    }
    if (text) {
      return text.charAt(0).toUpperCase() + text.slice(1);
    }
    return "Sorry, that didn't work. Please try again.";
  }

  async function api(method, path, body) {
    let response;
    try {
      response = await fetch(path, {
        method,
        headers: body === undefined ? { Accept: "application/json" } : {
          Accept: "application/json",
          "Content-Type": "application/json",
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
        credentials: "same-origin",
      });
    } catch (_) {
      throw new ApiError(0, "We couldn't reach the server. Check your connection and try again.");
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
      throw new ApiError(response.status, "Something went wrong on our side. Please try again in a moment.");
    }
    return data;
  }

  function wsUrl(path) {
    const proto = window.location.protocol === "https:" ? "wss:" : "ws:";
    return proto + "//" + window.location.host + path;
  }

  function convPath(suffix) {
    return "/api/chat/" + encodeURIComponent(state.conversation) + suffix;
  }

  function setWsState(value) {
    document.body.dataset.ws = value;
  }

  function normalise(text) {
    return String(text).replace(/\r\n?/g, "\n").replace(/\s+/g, " ").trim();
  }

  function formatTime(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return null;
    const now = new Date();
    const sameDay = date.toDateString() === now.toDateString();
    const time = date.toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
    if (sameDay) return { short: time, full: date.toLocaleString() };
    const day = date.toLocaleDateString([], { month: "short", day: "numeric" });
    return { short: day + ", " + time, full: date.toLocaleString() };
  }

  // Follow new messages while the list is scrolled to the bottom, also when the
  // scroll area changes size (the composer grows, the keyboard opens on a phone).
  let pinned = true;
  el.scroll.addEventListener("scroll", () => {
    const s = el.scroll;
    pinned = s.scrollHeight - s.scrollTop - s.clientHeight < 80;
  }, { passive: true });
  if (typeof ResizeObserver === "function") {
    const follow = new ResizeObserver(() => {
      if (pinned) el.scroll.scrollTop = el.scroll.scrollHeight;
    });
    follow.observe(el.scroll);
    follow.observe(el.messages);
  }

  function nearBottom() {
    return pinned;
  }

  function scrollToBottom() {
    el.scroll.scrollTop = el.scroll.scrollHeight;
    pinned = true;
  }

  function updateIntro() {
    el.intro.hidden = el.messages.childElementCount > 0;
  }

  // ---------- errors ----------

  function showError(message, action) {
    el.errorText.textContent = message;
    const old = el.error.querySelector(".alert__action");
    if (old) old.remove();
    if (action) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn--small alert__action";
      button.textContent = action.label;
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
    if (err && err.status === 404) {
      conversationGone();
      return;
    }
    showError(err && err.message ? err.message : "Sorry, that didn't work. Please try again.");
  }

  function conversationGone() {
    state.gone = true;
    closeSocket();
    showError("This conversation is no longer available. Please start a new conversation.", {
      label: "Start a new conversation",
      run: () => newConversation(),
    });
  }

  // ---------- rendering ----------

  function labelFor(message) {
    if (message.role === "customer") return "You";
    if (message.role === "staff") return message.author || "Support team";
    return message.author || "Assistant";
  }

  function buildMeta(message) {
    const meta = document.createElement("div");
    meta.className = "msg__meta";
    const author = document.createElement("span");
    author.className = "msg__author";
    author.textContent = labelFor(message);
    meta.appendChild(author);
    if (message.role === "staff") {
      const badge = document.createElement("span");
      badge.className = "msg__badge";
      badge.textContent = "Support team";
      meta.appendChild(badge);
    }
    const when = message.at ? formatTime(message.at) : null;
    if (when) {
      const time = document.createElement("time");
      time.className = "msg__time";
      time.dateTime = message.at;
      time.title = when.full;
      time.textContent = when.short;
      meta.appendChild(time);
    }
    return meta;
  }

  function buildButtons(seq, buttons) {
    const group = document.createElement("div");
    group.className = "msg__buttons";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Choices");
    const clickedIndex = Object.prototype.hasOwnProperty.call(state.clicked, String(seq))
      ? state.clicked[String(seq)]
      : null;
    buttons.forEach((spec, index) => {
      if (!spec || typeof spec !== "object") return;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "msg-button";
      button.textContent = String(spec.label ?? spec.value ?? "");
      button.setAttribute("aria-pressed", clickedIndex === index ? "true" : "false");
      if (clickedIndex !== null) button.disabled = true;
      button.addEventListener("click", () => clickButton(seq, index, spec, group, button));
      group.appendChild(button);
    });
    return group;
  }

  function buildMessage(message, partial) {
    const role = ["customer", "bot", "staff"].includes(message.role) ? message.role : "bot";
    const li = document.createElement("li");
    li.className = "msg msg--" + role + (role === "customer" ? " msg--mine" : "");
    li.dataset.role = role;
    if (typeof message.seq === "number") li.dataset.seq = String(message.seq);
    if (partial) li.dataset.partial = "1";
    li.appendChild(buildMeta(message));
    const bubble = document.createElement("div");
    bubble.className = "msg__bubble";
    const text = document.createElement("p");
    text.className = "msg__text";
    text.textContent = String(message.text ?? "");
    bubble.appendChild(text);
    li.appendChild(bubble);
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
        const meta = buildMeta(message);
        existing.replaceChild(meta, existing.querySelector(".msg__meta"));
        delete existing.dataset.partial;
      }
      return;
    }
    const stick = nearBottom();
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
      state.unread += 1;
      document.title = "(" + state.unread + ") " + baseTitle;
    }
    state.bySeq.set(seq, li);
    insertBySeq(li, seq);
    updateIntro();
    if (stick || mine) scrollToBottom();
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
    scrollToBottom();
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
      typingEl = document.createElement("div");
      typingEl.className = "msg msg--bot typing";
      typingEl.setAttribute("aria-hidden", "true");
      const bubble = document.createElement("div");
      bubble.className = "msg__bubble";
      for (let i = 0; i < 3; i += 1) {
        const dot = document.createElement("span");
        dot.className = "typing__dot";
        bubble.appendChild(dot);
      }
      typingEl.appendChild(bubble);
      el.messages.after(typingEl);
      if (nearBottom()) scrollToBottom();
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
    closeSocket();
    state.bySeq.clear();
    state.syncedSeq = 0;
    state.pending = [];
    state.syncing = null;
    state.syncAgain = false;
    state.gone = false;
    state.attempt = 0;
    state.clicked = {};
    state.queue = Promise.resolve();
    state.inFlight = 0;
    setTyping(false);
    el.messages.replaceChildren();
    el.connection.hidden = true;
    clearError();
    updateIntro();
  }

  function newConversation() {
    resetView();
    state.conversation = null;
    store.remove(KEY_CONV);
    store.remove(KEY_CLICKED);
    el.newConv.hidden = true;
    delete document.body.dataset.conversation;
    el.input.focus();
  }

  // ---------- syncing ----------

  function sync() {
    if (!state.conversation || state.gone) return Promise.resolve();
    if (state.syncing) {
      state.syncAgain = true;
      return state.syncing;
    }
    const gen = state.generation;
    const run = async () => {
      do {
        state.syncAgain = false;
        const data = await api("GET", convPath("/messages?after=" + state.syncedSeq));
        if (gen !== state.generation) return;
        let top = state.syncedSeq;
        for (const message of Array.isArray(data.messages) ? data.messages : []) {
          render(message, false);
          if (typeof message.seq === "number" && message.seq > top) top = message.seq;
        }
        state.syncedSeq = top;
      } while (state.syncAgain);
    };
    const promise = run()
      .catch((err) => {
        if (gen !== state.generation) return;
        if (err && err.status === 404) conversationGone();
        else throw err;
      })
      .finally(() => {
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
    if (!state.conversation || state.gone) return;
    closeSocket();
    const gen = state.generation;
    let ws;
    try {
      ws = new WebSocket(wsUrl(convPath("/ws")));
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
      sync().catch(() => {});
    };
    ws.onmessage = (event) => {
      if (state.ws !== ws || gen !== state.generation) return;
      let data;
      try {
        data = JSON.parse(event.data);
      } catch (_) {
        return;
      }
      if (data && data.type === "message" && data.message) {
        render(data.message, false);
        if (data.message.seq === state.syncedSeq + 1) state.syncedSeq = data.message.seq;
        if (data.message.role !== "customer") setTyping(false);
      }
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
    if (!state.conversation || state.gone) return;
    clearTimeout(state.reconnectTimer);
    state.attempt += 1;
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** (state.attempt - 1));
    const delay = Math.round(base * (0.75 + Math.random() * 0.5));
    if (state.attempt >= 2) {
      el.connection.textContent = "Connection lost. Reconnecting…";
      el.connection.hidden = false;
    }
    state.reconnectTimer = setTimeout(() => {
      state.reconnectTimer = null;
      // Poll once too, so messages still arrive if WebSockets are blocked on this network.
      sync().catch(() => {});
      connect();
    }, delay);
  }

  function reconnectNow() {
    if (!state.conversation || state.gone) return;
    if (state.ws && (state.ws.readyState === WebSocket.OPEN || state.ws.readyState === WebSocket.CONNECTING)) {
      return;
    }
    state.attempt = 0;
    connect();
  }

  // ---------- sending ----------

  function enqueue(task) {
    const gen = state.generation;
    const next = state.queue.then(() => (gen === state.generation ? task() : undefined));
    state.queue = next.catch(() => {});
    return next;
  }

  function restoreText(text) {
    const current = el.input.value;
    el.input.value = current.trim() ? text + "\n" + current : text;
    autoGrow();
    updateCount();
    el.input.focus();
  }

  async function sendText(text) {
    const gen = state.generation;
    const entry = addPending(text);
    state.inFlight += 1;
    setTyping(true);
    try {
      const body = { user: state.user, text };
      if (state.conversation) body.conversation = state.conversation;
      const data = await api("POST", "/api/chat", body);
      if (gen !== state.generation) return;
      entry.acked = true;
      clearError();
      if (!state.conversation && typeof data.conversation === "string" && data.conversation) {
        setConversation(data.conversation);
        connect();
      }
      renderReplies(data.replies);
      try {
        await sync();
      } catch (_) {
        /* the socket or the next reconnect will catch up */
      }
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
    } finally {
      if (gen === state.generation) {
        state.inFlight -= 1;
        if (state.inFlight === 0) setTyping(false);
      }
    }
  }

  function submit() {
    const text = el.input.value;
    if (!text.trim()) {
      el.input.focus();
      return;
    }
    if (charLength(text) > MAX_LEN) {
      showError("That message is too long (max 4,000 characters). Please shorten it or send it in parts.");
      el.input.focus();
      return;
    }
    if (state.gone) {
      conversationGone();
      return;
    }
    el.input.value = "";
    autoGrow();
    updateCount();
    enqueue(() => sendText(text));
  }

  function clickButton(seq, index, spec, group, button) {
    if (!state.conversation || button.disabled) return;
    const buttons = Array.from(group.querySelectorAll("button"));
    for (const b of buttons) b.disabled = true;
    button.setAttribute("aria-pressed", "true");
    const gen = state.generation;
    enqueue(async () => {
      state.inFlight += 1;
      setTyping(true);
      try {
        const data = await api("POST", "/api/chat/action", {
          conversation: state.conversation,
          user: state.user,
          action: String(spec.action ?? ""),
          value: String(spec.value ?? ""),
        });
        if (gen !== state.generation) return;
        clearError();
        state.clicked[String(seq)] = index;
        saveClicked();
        renderReplies(data.replies);
        try {
          await sync();
        } catch (_) {
          /* catch up later */
        }
      } catch (err) {
        if (gen !== state.generation) return;
        for (const b of buttons) b.disabled = false;
        button.setAttribute("aria-pressed", "false");
        showApiError(err);
      } finally {
        if (gen === state.generation) {
          state.inFlight -= 1;
          if (state.inFlight === 0) setTyping(false);
        }
      }
    });
  }

  // ---------- composer ----------

  function autoGrow() {
    el.input.style.height = "auto";
    el.input.style.height = Math.min(el.input.scrollHeight + 2, 180) + "px";
  }

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

  el.form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });

  el.input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      submit();
    }
  });

  el.input.addEventListener("input", () => {
    autoGrow();
    updateCount();
  });

  el.errorClose.addEventListener("click", () => {
    clearError();
    el.input.focus();
  });

  el.newConv.addEventListener("click", (event) => {
    event.preventDefault();
    newConversation();
  });

  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) {
      state.unread = 0;
      document.title = baseTitle;
      reconnectNow();
    }
  });

  window.addEventListener("online", reconnectNow);

  // Another tab started a new conversation (or cleared it): follow it.
  window.addEventListener("storage", (event) => {
    if (event.key !== KEY_CONV && event.key !== null) return;
    const id = store.get(KEY_CONV);
    if (id === state.conversation) return;
    resetView();
    if (id) {
      start(id);
    } else {
      state.conversation = null;
      el.newConv.hidden = true;
      delete document.body.dataset.conversation;
    }
  });

  function start(id) {
    setConversation(id);
    sync().catch(() => {});
    connect();
  }

  // ---------- start ----------

  setWsState("closed");
  if (state.conversation) {
    start(state.conversation);
  } else {
    updateIntro();
  }
})();
