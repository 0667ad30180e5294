"""Commissioning calls, bids, assessment, moderation, ranking, standstill and award (pre-award).

A Django app of its own (label "calls") inside the commissioning layer: it sits beside review
rounds (a round's "recommission" decision opens a call) and under api/; its award writes the
programme through grants.services, so nothing is re-keyed. See docs/commissioning.md.
"""
