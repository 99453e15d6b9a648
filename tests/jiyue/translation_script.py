"""scripts/wagtail_translation_gaps.py loaded as a module (scripts/ is not a package):
its .po reader and checks serve the translation tests."""
import importlib.util
from pathlib import Path

_PATH = Path(__file__).resolve().parents[2] / "scripts" / "wagtail_translation_gaps.py"


def _load():
    spec = importlib.util.spec_from_file_location("wagtail_translation_gaps", _PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gaps_script = _load()
