from hypothesis import given
from hypothesis import strategies as st

from mpcrawl.archive.state import SiteState

_IDS = st.integers(min_value=-(2**63), max_value=2**63 - 1)
_MICROS = st.none() | st.integers(min_value=-(2**58), max_value=2**58)
_KEYS = st.tuples(st.sampled_from(["post", "page"]), _IDS | st.integers(0, 5), _MICROS)


@given(st.lists(_KEYS, max_size=40), st.lists(_KEYS, max_size=40))
def test_versions_are_exact(
    added: list[tuple[str, int, int | None]], probes: list[tuple[str, int, int | None]]
) -> None:
    state = SiteState.of(*added)
    assert set(state.versions()) == set(added)
    for key in added + probes:
        assert state.has_version(*key) == (key in added)
    for post_type, pid, _ in added:
        times = [m for t, i, m in added if (t, i) == (post_type, pid)]
        assert state.newest(post_type, pid) == max(times, key=lambda m: m or 0)
