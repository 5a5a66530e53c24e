"""Tickets: a customer's request handed to people, from the queue to closure."""
