"""Generated bureaus shared by the demo tests: a mini one rich in defects, and a county."""

from __future__ import annotations

import pytest
from tests.demo.period import FROM, TO
from tests.demo.rules import Output

from fazhi.demo import GenerationSummary, generate_bureau


@pytest.fixture(scope="session")
def mini(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    return generate_bureau(tmp_path_factory.mktemp("mini"), scale="mini", seed=11,
                           date_from=FROM, date_to=TO, defect_share=0.1)


@pytest.fixture(scope="session")
def county(tmp_path_factory: pytest.TempPathFactory) -> tuple[GenerationSummary, Output]:
    summary = generate_bureau(tmp_path_factory.mktemp("county"), scale="county", seed=3,
                              date_from=FROM, date_to=TO)
    return summary, Output.load(summary.out_dir)


@pytest.fixture(scope="session")
def county_out(county: tuple[GenerationSummary, Output]) -> Output:
    return county[1]
