"""What a product owner asks of a ranked backlog: objectives and key results (``okr``),
stakeholders, capacity planning.

Each module is a pure function from a backlog, its ranking under a model and the as-of date
to a pydantic result whose ``model_dump(mode="json")`` is the command's JSON contract.
Capacity planning (``capacity*.py``) works on its own small task type instead (frozen
dataclasses; ``output/plan_json.py`` writes its contract), so its algorithms are tested
directly against brute force.
"""
