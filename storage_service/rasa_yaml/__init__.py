"""Rasa 3.x YAML training data: reading it with line numbers for every problem, and writing it back."""
