/* The customer page in the visitor's language. The server knows the texts in every language
 * (GET /api/chat/page); the page asks with the browser's languages first, then follows the
 * conversation's language whenever a reply says it changed. Elements carry data-t="key"
 * (text), data-t-placeholder="key" and data-t-aria-label="key".
 *
 * For tests: <html lang> and <body data-language> tell the language shown.
 */
import { setTimeLocale } from "./common.js";

// English until the server answers, so the page is usable even if that request fails.
export const T = {
  you: "You",
  support_team: "Support team",
  assistant: "Assistant",
  choices: "Choices",
  gone: "This conversation is no longer available. Please start a new conversation.",
  start_new: "Start a new conversation",
  our_side: "Something went wrong on our side. Please try again in a moment.",
  didnt_work: "Sorry, that didn't work. Please try again.",
  too_long: "That message is too long (max 4,000 characters). Please shorten it or send it in parts.",
  too_fast: "You're sending messages a little fast. Please wait a moment and try again.",
  unreachable: "We couldn't reach the server. Check your connection and try again.",
  unexpected: "The server sent an unexpected answer.",
  connection_lost: "Connection lost. Reconnecting…",
};

let shown = null; // the language the page is in, once the server told it

/** The browser's preferred languages, most preferred first (at most ten). */
export function browserLanguages() {
  const list = Array.isArray(navigator.languages) && navigator.languages.length
    ? navigator.languages
    : [navigator.language || ""];
  return list.filter((tag) => typeof tag === "string" && tag).slice(0, 10);
}

function apply(page, onChange) {
  if (!page || typeof page.texts !== "object" || typeof page.language !== "string") return;
  Object.assign(T, page.texts);
  for (const node of document.querySelectorAll("[data-t]")) {
    const text = T[node.dataset.t];
    if (typeof text === "string") node.textContent = text;
  }
  for (const [attr, data] of [["placeholder", "tPlaceholder"], ["aria-label", "tAriaLabel"]]) {
    for (const node of document.querySelectorAll(`[data-t-${attr}]`)) {
      const text = T[node.dataset[data]];
      if (typeof text === "string") node.setAttribute(attr, text);
    }
  }
  document.documentElement.lang = page.language;
  document.body.dataset.language = page.language;
  setTimeLocale(typeof page.locale === "string" ? page.locale : page.language);
  shown = page.language;
  onChange();
}

/** Fetch and show the page texts: for `conversation` if given, else the browser's languages.
 * `onChange()` runs after the texts changed (to redraw labels). Never throws. */
export async function showPageLanguage(conversation, onChange) {
  const query = new URLSearchParams({ languages: browserLanguages().join(",") });
  if (conversation) query.set("conversation", conversation);
  try {
    const response = await fetch("/api/chat/page?" + query, {
      headers: { Accept: "application/json" },
      cache: "no-store",
      credentials: "same-origin",
    });
    if (response.ok) apply(await response.json(), onChange);
  } catch (_) {
    /* keep the texts shown */
  }
}

/** Follow a reply's `language`: refetch the texts when it differs from what is shown. */
export function followLanguage(language, conversation, onChange) {
  if (typeof language === "string" && language && language !== shown) {
    shown = language; // asked once per change, even if replies keep coming
    showPageLanguage(conversation, onChange);
  }
}
