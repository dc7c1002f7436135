"""thinc for the bundle, without its test suite (replaces the hook from
pyinstaller-hooks-contrib)."""
from PyInstaller.utils.hooks import collect_data_files, collect_submodules

hiddenimports = collect_submodules("thinc", filter=lambda name: ".tests" not in name)
datas = collect_data_files("thinc", excludes=["tests", "tests/**"])
