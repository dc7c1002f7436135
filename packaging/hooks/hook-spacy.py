"""spaCy for the bundle: its modules, without the test suite and without the
languages other than English and Chinese (``spacy.blank("en")``/``("zh")``).
Replaces the broader hook from pyinstaller-hooks-contrib."""
from PyInstaller.utils.hooks import collect_data_files, collect_submodules

KEEP_LANGUAGES = {"en", "zh"}
SHARED = {"char_classes", "lex_attrs", "norm_exceptions", "punctuation", "tokenizer_exceptions"}


def wanted(name: str) -> bool:
    parts = name.split(".")
    if len(parts) > 1 and parts[1] == "tests":
        return False
    if len(parts) > 2 and parts[1] == "lang":
        return parts[2] in KEEP_LANGUAGES | SHARED
    return True


hiddenimports = collect_submodules("spacy", filter=wanted)
datas = collect_data_files("spacy", excludes=["tests", "tests/**", "lang/*/**"])
