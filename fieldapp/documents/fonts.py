"""The fonts documents print with, and whether this machine has them.

Names and notes come in the scripts of the families a district serves; a
script with no font prints as empty boxes. DejaVu Sans covers Latin
(Vietnamese included), Greek, Cyrillic and Arabic; Debian's Noto packages
cover the rest. templates/documents/_print.css names the same families.
"""
import shutil
import subprocess

# script -> (a font family that draws it, the Debian package that has it)
SCRIPT_FONTS = {
    "Latin, Vietnamese, Arabic": ("DejaVu Sans", "fonts-dejavu-core"),
    "Chinese, Korean, Japanese": ("Noto Sans CJK SC", "fonts-noto-cjk"),
    "Burmese": ("Noto Sans Myanmar", "fonts-noto-core"),
    "Amharic": ("Noto Sans Ethiopic", "fonts-noto-core"),
    "Hindi": ("Noto Sans Devanagari", "fonts-noto-core"),
}


def installed_families():
    """The font families fontconfig knows, as a set of names ({} without fc-list)."""
    if shutil.which("fc-list") is None:
        return set()
    listing = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    return {name.strip() for line in listing.splitlines() for name in line.split(",")}


def missing_scripts(families=None):
    """{script: Debian package} for each script no installed font draws."""
    families = installed_families() if families is None else families
    return {script: package for script, (family, package) in SCRIPT_FONTS.items() if family not in families}
