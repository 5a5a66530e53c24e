/* Shared by the customer page (chat.js) and the staff desk (staff.js). Plain JS, an ES module,
 * no dependencies: storage that never throws, JSON requests with polite errors, the live
 * WebSocket with reconnect and backoff, catching a transcript up by seq, time labels and the
 * builders of message elements.
 *
 * Server text is only ever inserted with textContent (never innerHTML): every builder here
 * that takes text sets it with textContent.
 */

const BACKOFF_MIN_MS = 1000;
const BACKOFF_MAX_MS = 30000;
const PINNED_WITHIN_PX = 80;
const ROLES = ["customer", "bot", "staff"];

// ---------- storage ----------

/** window[name] ("localStorage" or "sessionStorage") that falls back to memory where it is
 * unavailable (e.g. some private modes) instead of throwing. */
export function safeStorage(name) {
  const memory = new Map();
  return {
    get(key) {
      try {
        return window[name].getItem(key);
      } catch (_) {
        return memory.has(key) ? memory.get(key) : null;
      }
    },
    set(key, value) {
      try {
        window[name].setItem(key, value);
      } catch (_) {
        memory.set(key, value);
      }
    },
    remove(key) {
      try {
        window[name].removeItem(key);
      } catch (_) {
        memory.delete(key);
      }
    },
  };
}

// ---------- JSON API ----------

export class ApiError extends Error {
  constructor(status, message, data = null) {
    super(message);
    this.status = status;
    this.data = data; // the error answer's JSON, e.g. {error, problems}, when there was one
  }
}

/** The server's error text with its first letter upper-cased. */
export function sentence(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A function `(method, path, body, headers) => Promise<object>` for a JSON API. It rejects with
 * an ApiError whose message is fit to show: `explain(status, serverText)` for an HTTP error
 * (serverText is the trimmed `error` of the answer, or ""), `unreachable` when no answer came,
 * `unexpected` when the answer is not a JSON object.
 */
export function jsonApi({ explain, unreachable, unexpected }) {
  return async (method, path, body, headers = {}) => {
    const all = { Accept: "application/json", ...headers };
    if (body !== undefined) all["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(path, {
        method,
        headers: all,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
        credentials: "same-origin",
      });
    } catch (_) {
      throw new ApiError(0, unreachable);
    }
    let data = null;
    try {
      data = await response.json();
    } catch (_) {
      data = null;
    }
    if (!response.ok) {
      const text = data && typeof data.error === "string" ? data.error.trim() : "";
      throw new ApiError(response.status, explain(response.status, text), data);
    }
    if (!data || typeof data !== "object") {
      throw new ApiError(response.status, unexpected);
    }
    return data;
  };
}

// ---------- WebSocket ----------

/** Tells tests the socket state: <body data-ws="open|connecting|closed">. */
export function setWsState(value) {
  document.body.dataset.ws = value;
}

function wsUrl(path) {
  const proto = window.location.protocol === "https:" ? "wss:" : "ws:";
  return proto + "//" + window.location.host + path;
}

/**
 * The page's live socket. It reconnects with exponential backoff and jitter (1 s doubling up
 * to 30 s), shows `lostText` in `banner` from the second attempt on, and calls `catchUp()`
 * once open and before each retry, so nothing is missed and the page still updates (by
 * polling) where WebSockets are blocked.
 *
 * - `active()`: whether there is anything to connect to now;
 * - `url()`: the socket's path (and query);
 * - `epoch()`: a number the page bumps when it starts over; pushes from an older epoch are dropped;
 * - `onMessage(data)`: each pushed JSON value.
 */
export class LiveSocket {
  constructor({ active, url, epoch, onMessage, catchUp, banner, lostText }) {
    Object.assign(this, { active, url, epoch, onMessage, catchUp, banner, lostText });
    this.ws = null;
    this.attempt = 0; // failed connects in a row: sets the backoff
    this.timer = null;
  }

  close() {
    clearTimeout(this.timer);
    this.timer = null;
    const ws = this.ws;
    this.ws = null;
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

  connect() {
    if (!this.active()) return;
    this.close();
    const epoch = this.epoch();
    let ws;
    try {
      ws = new WebSocket(wsUrl(this.url()));
    } catch (_) {
      this.retry();
      return;
    }
    this.ws = ws;
    setWsState("connecting");
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.attempt = 0;
      this.banner.hidden = true;
      setWsState("open");
      this.catchUp();
    };
    ws.onmessage = (event) => {
      if (this.ws !== ws || epoch !== this.epoch()) return;
      let data;
      try {
        data = JSON.parse(event.data);
      } catch (_) {
        return;
      }
      this.onMessage(data);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      setWsState("closed");
      this.retry();
    };
    ws.onerror = () => {
      /* a close event follows */
    };
  }

  retry() {
    if (!this.active()) return;
    clearTimeout(this.timer);
    this.attempt += 1;
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** (this.attempt - 1));
    const delay = Math.round(base * (0.75 + Math.random() * 0.5));
    if (this.attempt >= 2) {
      this.banner.textContent = this.lostText;
      this.banner.hidden = false;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.catchUp();
      this.connect();
    }, delay);
  }

  /** Connect at once (no backoff) unless a socket is open or opening. */
  reconnectNow() {
    if (!this.active()) return;
    const ws = this.ws;
    if (ws && (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING)) return;
    this.attempt = 0;
    this.connect();
  }

  /** Reconnect when the tab is shown again (after `onVisible()`) or the device is back online. */
  reconnectOnReturn(onVisible) {
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden) {
        onVisible();
        this.reconnectNow();
      }
    });
    window.addEventListener("online", () => this.reconnectNow());
  }
}

// ---------- catching a transcript up ----------

/**
 * Keeps a transcript complete by seq. `run()` loads the messages after the last one seen
 * (`load(after)` resolves to {messages}) and renders each; a call while a load is under way
 * asks for one more round and shares its promise. Answers that arrive after `epoch()` changed
 * are dropped, and so are their errors when `onError(err)` is given (it may rethrow).
 */
export class TranscriptSync {
  constructor({ load, render, epoch, onError = null }) {
    Object.assign(this, { load, render, epoch, onError });
    this.reset();
  }

  reset() {
    this.syncedSeq = 0; // every message with seq <= syncedSeq has been rendered
    this.running = null;
    this.again = false;
  }

  run() {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const epoch = this.epoch();
    const rounds = async () => {
      do {
        this.again = false;
        const data = await this.load(this.syncedSeq);
        if (epoch !== this.epoch()) return;
        let top = this.syncedSeq;
        for (const message of Array.isArray(data.messages) ? data.messages : []) {
          this.render(message);
          if (typeof message.seq === "number" && message.seq > top) top = message.seq;
        }
        this.syncedSeq = top;
      } while (this.again);
    };
    let settled = rounds();
    if (this.onError) {
      settled = settled.catch((err) => {
        if (epoch === this.epoch()) this.onError(err);
      });
    }
    const promise = settled.finally(() => {
      if (this.running === promise) this.running = null;
    });
    this.running = promise;
    return promise;
  }

  /** Render a message pushed over the socket; advance syncedSeq when it is the next one. */
  pushed(message) {
    this.render(message);
    if (message.seq === this.syncedSeq + 1) this.syncedSeq = message.seq;
  }
}

// ---------- time ----------

let timeLocale = []; // the browser's own until the page knows the conversation's locale

/** Show times the way `tag` (a BCP 47 locale such as "de" or "en-GB") writes them. */
export function setTimeLocale(tag) {
  try {
    timeLocale = tag ? [Intl.DateTimeFormat.supportedLocalesOf([tag])[0] || tag] : [];
  } catch (_) {
    timeLocale = [];
  }
}

/** {short, full} labels of an ISO time ("10:15" today, "5 Mar, 10:15" before; 12- or 24-hour
 * as the locale writes it), or null. */
export function formatTime(iso) {
  if (!iso) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  const time = date.toLocaleTimeString(timeLocale, { hour: "numeric", minute: "2-digit" });
  const short = date.toDateString() === new Date().toDateString()
    ? time
    : date.toLocaleDateString(timeLocale, { month: "short", day: "numeric" }) + ", " + time;
  return { short, full: date.toLocaleString(timeLocale) };
}

// ---------- page helpers ----------

/** "(3) Title" while messages arrive in a hidden tab; clear() when it is seen again. */
export function unreadTitle() {
  const base = document.title;
  let count = 0;
  return {
    bump() {
      count += 1;
      document.title = "(" + count + ") " + base;
    },
    clear() {
      count = 0;
      document.title = base;
    },
  };
}

/**
 * Follow new messages while `box` is scrolled to the bottom, also when it (or one of
 * `watched`) changes size. `pinned` tells whether it is; `toBottom()` scrolls there.
 */
export function followBottom(box, ...watched) {
  let pinned = true;
  box.addEventListener("scroll", () => {
    pinned = box.scrollHeight - box.scrollTop - box.clientHeight < PINNED_WITHIN_PX;
  }, { passive: true });
  if (typeof ResizeObserver === "function") {
    const follow = new ResizeObserver(() => {
      if (pinned) box.scrollTop = box.scrollHeight;
    });
    for (const node of [box, ...watched]) follow.observe(node);
  }
  return {
    get pinned() {
      return pinned;
    },
    toBottom() {
      box.scrollTop = box.scrollHeight;
      pinned = true;
    },
  };
}

/** Grow a textarea with its text, up to `max` pixels. */
export function autoGrow(textarea, max) {
  textarea.style.height = "auto";
  textarea.style.height = Math.min(textarea.scrollHeight + 2, max) + "px";
}

/** Enter calls send(); Shift+Enter (and Enter while an IME is composing) makes a new line. */
export function sendOnEnter(textarea, send) {
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      send();
    }
  });
}

// ---------- elements (text only ever through textContent) ----------

/** A new element with a class (when given) and text (when given) set as textContent. */
export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The message's role if known, else "bot". */
export function messageRole(message) {
  return ROLES.includes(message.role) ? message.role : "bot";
}

/** The line above a bubble: author, an optional badge element, and the time if `at` is one. */
export function messageMeta(author, badge, at, timeClass = "") {
  const meta = element("div", "msg__meta");
  meta.appendChild(element("span", "msg__author", author));
  if (badge) meta.appendChild(badge);
  const when = formatTime(at);
  if (when) {
    const time = element("time", timeClass);
    time.dateTime = String(at);
    time.title = when.full;
    time.textContent = when.short;
    meta.appendChild(time);
  }
  return meta;
}

/** <li class="msg msg--ROLE [msg--mine]" data-role data-seq> with `meta` and the text bubble. */
export function messageItem(message, role, mine, meta) {
  const li = element("li", "msg msg--" + role + (mine ? " msg--mine" : ""));
  li.dataset.role = role;
  if (typeof message.seq === "number") li.dataset.seq = String(message.seq);
  li.appendChild(meta);
  const bubble = element("div", "msg__bubble");
  bubble.appendChild(element("p", "msg__text", String(message.text ?? "")));
  li.appendChild(bubble);
  return li;
}

/** A button's label: its label, else its value. */
export function choiceLabel(spec) {
  return String(spec.label ?? spec.value ?? "");
}

/** A row of choices (role=group) with `build(spec, index)` for each spec that is an object. */
export function choiceGroup(ariaLabel, specs, build) {
  const group = element("div", "msg__buttons");
  group.setAttribute("role", "group");
  group.setAttribute("aria-label", ariaLabel);
  specs.forEach((spec, index) => {
    if (spec && typeof spec === "object") group.appendChild(build(spec, index));
  });
  return group;
}

/** A choice button; onClick(button, group) runs when it is clicked. */
export function choiceButton(spec, pressed, onClick) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "msg-button";
  button.textContent = choiceLabel(spec);
  button.setAttribute("aria-pressed", pressed ? "true" : "false");
  button.addEventListener("click", () => onClick(button, button.parentElement));
  return button;
}

/** Disable every button of `group` and mark `button` pressed; the returned function undoes it. */
export function pressChoice(group, button) {
  const buttons = Array.from(group.querySelectorAll("button"));
  for (const b of buttons) b.disabled = true;
  button.setAttribute("aria-pressed", "true");
  return () => {
    for (const b of buttons) b.disabled = false;
    button.setAttribute("aria-pressed", "false");
  };
}

/** A plain sentence for a failed staff API call (status 0: the server was not reached). */
export function politeStaffError(status, text) {
  if (status === 0) return "Couldn't reach the server. Check your connection and try again.";
  if (status >= 500 && !text) return "The server had a problem (" + status + "). Please try again.";
  if (text) return sentence(text);
  return "That didn't work (" + status + "). Please try again.";
}

/** The JSON API as the staff pages (desk and dashboard) call it. */
export function staffJsonApi() {
  return jsonApi({
    explain: politeStaffError,
    unreachable: politeStaffError(0, ""),
    unexpected: "The server sent an unexpected answer.",
  });
}
