"""``python -m simulator`` runs the ``mock-interview`` command."""

from simulator.cli import main

raise SystemExit(main())
