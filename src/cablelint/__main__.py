"""``python -m cablelint``."""

from cablelint.app.cli import main_entry

if __name__ == "__main__":
    main_entry()
