"""The lint rules, one small module per rule (registered in ``backlogctl.lint.registry``)."""
