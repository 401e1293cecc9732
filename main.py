"""Run Cramp Coach from a source checkout: ``python main.py [--emergency]``."""

from coach.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
