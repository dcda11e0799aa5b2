"""Which folders install as which packages; everything else is in pyproject.toml.

`site` is a standard-library module name, so the site/ folder installs as `bts_site`. Every
folder of an app is listed, templates and static files included, so that they install as
package data without setuptools guessing.
"""

from pathlib import Path

from setuptools import setup

APPS = {"bts_site": "site", "home": "home", "filmsheets": "filmsheets"}
APPS |= {"showreels": "showreels", "gallery": "gallery"}
SKIP = {"__pycache__"}


def packages(name, folder):
    found = {name: folder}
    for path in sorted(Path(folder).rglob("*")):
        if path.is_dir() and not SKIP & set(path.parts):
            relative = path.relative_to(folder).parts
            found[".".join((name, *relative))] = path.as_posix()
    return found


package_dir = {}
for name, folder in APPS.items():
    package_dir |= packages(name, folder)

setup(
    package_dir=package_dir,
    packages=list(package_dir),
    package_data={name: ["*"] for name in package_dir},
    exclude_package_data={name: ["*.pyc"] for name in package_dir},
)
