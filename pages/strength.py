"""Strength: how big are these groups, and according to whom?

Every claim on one chart per group, drawn as stated (ranges as bars, "more than" as an arrow up),
metrics and scopes in separate panels; the disagreement between claimants in numbers; capacity
indicators apart; and the table of claims with their quotes. Computed in
dashboard/charts/strength.py; data text is shown as text, never as markup.
"""

import streamlit as st

from dashboard import ui
from dashboard.charts import strength
from dashboard.view import claims
from dashboard.view.view import view_of

ds = ui.dataset()
state = ui.filters(ds)

st.title("How big are the militant groups, and according to whom?")
view = view_of(ds, state)
frame = claims.claims_in_view(view)
gaps = claims.comparisons_in_view(view)
for sentence in gaps["sentence"] if len(gaps) else []:
    st.markdown(f"**{ui.plain(sentence)}**")
st.caption(
    "Numbers are kept as stated: 'more than 25,000' is open-ended, not 25,000. Claims by "
    "different claimants are never averaged; the ratio compares the highest claim's lower bound "
    "with the lowest claim's upper bound, so it is a floor ('at least')."
)
log_y = st.toggle(
    "Log scale", key="strength_log_y", help="For claims that differ by orders of magnitude"
)
charts = ui.built(strength.build_strength_charts, ds, state, log_y=log_y)
if not charts:
    st.info("No strength claim matches the current filters.")
for spec in charts:
    ui.show_chart(spec, spec.chart_id.replace("-", "_"), selectable=False)

st.subheader("Disagreement in numbers")
if len(gaps):
    st.dataframe(gaps.drop(columns=["sentence", "ratio"]), hide_index=True, width="stretch")
else:
    st.caption("Fewer than two comparable claims under the current filters.")

st.subheader("Capacity behind the groups")
ui.show_chart(
    ui.built(strength.build_capacity_chart, ds, state), "capacity_indicators", selectable=False
)

st.subheader("All claims")
ui.table(claims.claims_table(frame), complete_in="the strength charts' CSV downloads")
