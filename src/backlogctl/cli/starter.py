"""The files ``backlogctl init`` writes: a commented config and a small starter backlog."""

from __future__ import annotations

STARTER_CONFIG = """\
# backlogctl configuration. Reference: `backlogctl config schema` prints its JSON Schema;
# `backlogctl config check` validates this file.

# Backlog files or directories, relative to this file (used when no SOURCE is given).
sources: [backlog.yaml]

# Scoring model used by `backlogctl rank` when --model is not given: rice, wsjf, ice
# or one of the custom models below.
default_model: rice

# Custom models: a safe formula over item fields, or a weighted sum of fields.
models:
  value_per_point:
    formula: "(wsjf.business_value + wsjf.time_criticality) / estimate"
    description: Business value and urgency per story point

# Workflow statuses beyond the built-in ones (To Do, Backlog, In Progress, Done, ...).
statuses:
  in_progress: ["In QA"]

# Who asks for work (items name them in `stakeholders:`), for `backlogctl stakeholders`;
# influence and interest (high, medium, low) place them on the stakeholder grid.
# stakeholders:
#   - {name: Marketing, influence: high, interest: high}
#   - {name: Customer service, influence: low, interest: high}
"""

STARTER_BACKLOG = """\
# A starter backlog for backlogctl: replace these items with yours, or point `sources:` in
# backlogctl.yaml at your own files. Only `key` and `title` are required; the README's
# "Backlog files" section lists every field.

# Objectives and their key results: items link to a key result with `objective:`.
objectives:
  - key: O1
    title: Make checkout effortless
    key_results:
      # A target (start, target, current) gives `backlogctl okr` its metric progress;
      # a threshold to hold is `keep_below: 1.5` or `keep_above: 99.5` with `current`.
      - key: KR-1.1
        title: Raise checkout conversion from 41 % to 48 %
        metric: checkout conversion
        unit: "%"
        start: 41
        target: 48
        current: 43

items:
  # An epic groups stories; its stories serve its objective too.
  - key: DEMO-1
    title: One-page checkout
    type: epic
    objective: KR-1.1
    description: Replace the four checkout steps with a single page.
    acceptance_criteria:
      - Shipping, payment and review fit on one page

  # RICE: reach (people per quarter) x impact (3, 2, 1, 0.5, 0.25) x confidence (percent)
  # / effort (person-months). WSJF inputs use the scale 1, 2, 3, 5, 8, 13, 20.
  - key: DEMO-2
    title: Guest checkout without an account
    type: story
    parent: DEMO-1
    status: To Do
    description: Shoppers can pay without signing up first.
    acceptance_criteria:
      - A shopper can place an order with only an email address
    estimate: 5
    rice: {reach: 4000, impact: 2, confidence: 80, effort: 2}
    wsjf: {business_value: 13, time_criticality: 8, risk_reduction: 3, job_size: 5}

  - key: DEMO-3
    title: Remember the shipping address
    type: story
    parent: DEMO-1
    status: In Progress
    assignee: Ana
    description: Returning shoppers find their last address filled in.
    acceptance_criteria:
      - The last used address is preselected
    estimate: 3
    rice: {reach: 2500, impact: 1, confidence: 50, effort: 1}
    wsjf: {business_value: 5, time_criticality: 3, risk_reduction: 1, job_size: 3}

  # Without an effort this item cannot be scored by RICE: `rank` lists it as unscored
  # with the reason (it is never scored as 0) until the team estimates it.
  - key: DEMO-4
    title: Pay with Apple Pay
    type: story
    parent: DEMO-1
    status: Backlog
    description: Offer Apple Pay on Safari and iOS.
    acceptance_criteria:
      - Apple Pay appears as a payment method on supported devices
    rice: {reach: 1500, impact: 1, confidence: 80}
"""
