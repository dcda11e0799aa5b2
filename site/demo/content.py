"""The demo portfolio's words and structure, read from content.toml beside this module."""

import tomllib
from pathlib import Path

FOLDER = Path(__file__).resolve().parent
DATA_FILE = FOLDER / "content.toml"
MEDIA_DIR = FOLDER / "media"

with DATA_FILE.open("rb") as handle:
    DATA = tomllib.load(handle)

SITE_NAME = DATA["site_name"]
OWNER = DATA["owner"]
LIBRARY = DATA["library"]
HOME = DATA["home"]
ABOUT = DATA["about"]
FILM_INDEX = DATA["film_index"]
FILMS = DATA["films"]
CONTACT = DATA["contact"]
SHOWREEL = DATA["showreel"]


def block_value(page, block_type):
    """The value of the first block of this type in a page's body, as the data file has it."""
    return next(block["value"] for block in page["body"] if block["type"] == block_type)
