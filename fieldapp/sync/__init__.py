"""Sync: contacts saved on a phone reach the case record exactly once.

batch   applies a batch of outbox entries (created, duplicate, conflict, invalid)
devices keeps what each phone reports about its outbox
review  what supervisors see and do: conflicts, devices whose entries wait
"""
