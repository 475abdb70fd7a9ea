"""release/ is exactly what `nbgrader generate_assignment` makes of source/ today."""
import filecmp

import pytest

from coursekit.paths import RELEASE_DIR, assignment_ids
from coursekit.release import build_release


@pytest.mark.slow
def test_release_is_in_sync_with_source(tmp_path):
    assignments = assignment_ids()
    build_release(tmp_path, assignments)
    for assignment in assignments:
        fresh, committed = tmp_path / assignment, RELEASE_DIR / assignment
        assert committed.is_dir(), f"release/{assignment} is missing: run `make release`"
        comparison = filecmp.dircmp(fresh, committed)
        stale = comparison.diff_files + comparison.left_only + comparison.right_only
        assert not stale, f"release/{assignment} is stale ({stale}): run `make release`"
        for name in comparison.common_files:
            assert (fresh / name).read_bytes() == (committed / name).read_bytes(), (
                f"release/{assignment}/{name} is stale: run `make release`")
