from pathlib import Path

import pytest

from roadmap import store
from roadmap.definition import load_roadmap

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def mini_roadmap():
    return load_roadmap(FIXTURES / "mini_roadmap.yaml")


@pytest.fixture
def connection(tmp_path):
    connection = store.connect(tmp_path / "hvhk.sqlite")
    yield connection
    connection.close()
