"""Only the table the app reads: the English lemma lookup (the full package
is about 100 MB). spaCy finds the package through its entry point, so its
metadata comes along."""
from PyInstaller.utils.hooks import copy_metadata, get_package_paths

_, package = get_package_paths("spacy_lookups_data")
datas = [(f"{package}/data/en_lemma_lookup.json.gz", "spacy_lookups_data/data")]
datas += copy_metadata("spacy-lookups-data")
