"""Hypothesis settings and strategies shared by the fuzz tests: bounded, no deadline."""

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.security.payloads import ALL

# Bounded so the suite stays quick on two cores; no deadline since the database is involved.
FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
    database=None,
)

# Any text, including control characters, surrogates excluded (they cannot be encoded),
# mixed with the known hostile payloads.
hostile_text = st.one_of(
    st.sampled_from(ALL),
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=300),
    st.builds(lambda a, b: a + b, st.sampled_from(ALL), st.text(max_size=50)),
)
