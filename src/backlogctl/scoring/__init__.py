"""Scoring models (RICE, WSJF, ICE, custom formulas and weights), ranking and comparison."""
