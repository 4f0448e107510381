"""``python -m holdthread`` runs the command line."""

from holdthread.cli import main

if __name__ == "__main__":
    main()
