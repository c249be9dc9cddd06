"""What a product owner asks of a ranked backlog: objectives and key results (``okr``),
stakeholders, capacity planning.

Each module is a pure function from a backlog, its ranking under a model and the as-of date
to a pydantic result whose ``model_dump(mode="json")`` is the command's JSON contract.
"""
