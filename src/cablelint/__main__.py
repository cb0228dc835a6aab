"""``python -m cablelint``."""

from cablelint.cli import main_entry

if __name__ == "__main__":
    main_entry()
