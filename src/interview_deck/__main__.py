"""``python -m interview_deck`` runs the command line."""

from .cli import main

main()
