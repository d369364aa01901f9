import pytest

from tests.immutability import allow_flush


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    # The ledger's signing key is created under VAR_DIR/keys on first use: never the real one.
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture(scope="session", autouse=True)
def _flush_past_immutability_triggers():
    """The ledger, checkpoint and stored-file tables refuse DELETE/TRUNCATE (migration
    records 0002), which Django's flush after each transactional test needs: see
    tests/immutability.py."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        allow_flush(monkeypatch)
        yield
