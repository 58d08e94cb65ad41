"""``python -m storyloom``: the same as the ``storyloom`` command."""

from .cli import main

if __name__ == "__main__":
    main()
