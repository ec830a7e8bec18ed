"""Run the storygen command with models/ replaced by a copy ($RELIABILITY_MODELS_DIR), so model
files can be damaged without touching the shipped ones: `python -m tests.reliability.with_models
rank candidates.json --ranker coherence`. storygen has no setting for the models folder; it is
set here before any stage module reads it."""
import os
import sys
from pathlib import Path

import storygen.config as config

if os.environ.get("RELIABILITY_MODELS_DIR"):
    config.MODELS_DIR = Path(os.environ["RELIABILITY_MODELS_DIR"])

from storygen.cli import main  # noqa: E402  (after the folder is set)

if __name__ == "__main__":
    sys.argv[0] = "storygen"
    main()
