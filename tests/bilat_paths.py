"""Where the test material lives: the checkout's demo corpus and the shared folder beside it."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
DEMO = ROOT / "examples" / "corpus"
