import os

import pytest


def require(condition, reason):
    """Skip locally when a component (browser, database) is missing; fail under CI=true."""
    if condition:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: missing components fail the run)")
    pytest.skip(reason)
