"""Small knowledge bases for tests, built from Entry objects."""

from __future__ import annotations

from bot.kb.entries import Entry


def entry(
    entry_id: str,
    title: str,
    en: list[str],
    de: list[str],
    answer_en: str,
    answer_de: str,
    department: str = "billing",
) -> Entry:
    return Entry(
        id=entry_id,
        questions={"en": tuple(en), "de": tuple(de)},
        answers={"en": answer_en, "de": answer_de},
        department=department,
        title={"en": title},
    )


ENTRIES = [
    entry(
        "card-arrival",
        "when your card arrives",
        [
            "When will my card arrive?",
            "My card has still not come",
            "How long does the card take to arrive",
            "Where is my new card",
            "card delivery time",
        ],
        [
            "Wann kommt meine Karte an?",
            "Meine Karte ist noch nicht angekommen",
            "Wie lange dauert die Lieferung der Karte",
            "Wo bleibt meine neue Karte",
        ],
        "Cards arrive within 5 working days.",
        "Karten kommen innerhalb von 5 Werktagen an.",
    ),
    entry(
        "refund-status",
        "the status of your refund",
        [
            "Where is my refund?",
            "When do I get my money back",
            "Refund has not arrived yet",
            "How long does a refund take",
            "status of my refund",
        ],
        [
            "Wo bleibt meine Rückerstattung?",
            "Wann bekomme ich mein Geld zurück",
            "Die Erstattung ist noch nicht da",
            "Wie lange dauert eine Rückerstattung",
        ],
        "Refunds reach you within 5 working days after the return arrives.",
        "Erstattungen kommen innerhalb von 5 Werktagen nach Eingang der Rücksendung.",
    ),
    entry(
        "reset-password",
        "resetting your password",
        [
            "I forgot my password",
            "How do I reset my password",
            "Password reset link",
            "Can't log in, forgot password",
            "change my password",
        ],
        [
            "Ich habe mein Passwort vergessen",
            "Wie setze ich mein Passwort zurück",
            "Passwort zurücksetzen",
            "Ich kann mich nicht anmelden, Passwort vergessen",
        ],
        "Use 'Forgot password' on the login page; the link is valid for 1 hour.",
        "Nutzen Sie 'Passwort vergessen' auf der Anmeldeseite; der Link gilt 1 Stunde.",
        department="accounts",
    ),
    entry(
        "return-item",
        "returning an item",
        [
            "How do I return an item?",
            "I want to send something back",
            "Return policy",
            "Can I return my order",
            "how to send back a product",
        ],
        [
            "Wie kann ich einen Artikel zurücksenden?",
            "Ich möchte etwas zurückschicken",
            "Rückgabe Bedingungen",
            "Kann ich meine Bestellung zurückgeben",
        ],
        "You can return items within 30 days from your account under Orders.",
        "Sie können Artikel innerhalb von 30 Tagen in Ihrem Konto unter Bestellungen zurücksenden.",
        department="orders",
    ),
]
