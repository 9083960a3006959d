"""Strength: how big are these groups, and according to whom?

One chart per group (the reader picks the group), every claim over time drawn as stated and
coloured by who made it, with figures said again marked as echoes: the claims that can be
compared first, what counts something else or another area when the reader opens it (the
exports and the briefing pack draw both together); the comparisons in words, under the one rule
(dashboard/view/claims.py); capacity indicators apart, on demand; the claims with their lineage
and evidence. Data text is shown as text, never as markup.
"""

import functools

import streamlit as st

from dashboard import ui
from dashboard.charts import strength
from dashboard.view import claims
from dashboard.view.view import view_of

LISTED = 25  # figures said again listed by name; the claims table holds them all

ds = ui.dataset()
state = ui.filters(ds)

st.title("How big are the militant groups, and according to whom?")
view = view_of(ds, state)
frame = claims.claims_in_view(view)
comparisons = claims.comparisons_in_view(view)
st.caption(
    f"Claims are compared only when they count the same thing (group, measure and area) and "
    f"were made within {claims.WINDOW_MONTHS} months of each other; a figure said again is the "
    "same figure, never a second claim. Numbers are kept as stated: 'more than 25,000' is "
    "open-ended, so a ratio is a floor ('at least'). See the methodology, 'Comparing claims'."
)
log_y = ui.url_toggle("log", "Log scale", help="For claims that differ by orders of magnitude")
groups = dict(strength.strength_groups(ds, state))
if not groups:
    st.info("No strength claim matches the current filters, so there is nothing to draw.")
else:
    if st.session_state.get("strength_group") not in groups:  # the filters left it out
        st.session_state["strength_group"] = next(iter(groups))
    chosen = st.segmented_control(
        "Group",
        list(groups),
        format_func=lambda subject_id: groups[subject_id],
        key="strength_group",
        help="One chart per group; the exports and the briefing pack hold them all.",
    ) or next(iter(groups))
    top = claims.headline(frame, comparisons, chosen)
    if top is not None:
        sentence = top["sentence"][:1].upper() + top["sentence"][1:]
        st.markdown(f"**{ui.plain(sentence)}.**")
    else:
        st.markdown(f"**{ui.plain(claims.why_not_compared(frame, chosen))}.**")
    chart = functools.partial(ui.built, strength.build_strength_chart, ds, state, log_y=log_y)
    for spec in chart(subject_id=chosen, part="comparable"):
        ui.show_chart(spec, "strength_chart", selectable=False)
    sides = strength.side_panels(ds, state, subject_id=chosen)
    if sides:
        panels = f"{sides} panel" + ("s" if sides > 1 else "")
        label = f"What counts something else or covers another area ({panels})"
        with ui.lazy_expander(label, key="strength_other_panels") as box:
            if box.open:
                for spec in chart(subject_id=chosen, part="others"):
                    ui.show_chart(spec, "strength_side_chart", selectable=False)

st.subheader("Every comparison in numbers")
if len(comparisons):
    ui.short_table(
        comparisons[
            ["group", "measure_label", "area", "sentence", "claims agree", "figures"]
        ].rename(columns={"measure_label": "counts", "sentence": "what the rule finds"}),
    )
else:
    st.caption("No two comparable figures under the current filters.")

restated = claims.restated_in_view(view)
if len(restated):
    st.subheader("Figures said again")
    st.caption(
        "An old figure repeated by the same or another claimant is the same figure, not a "
        "second source: it is drawn hollow and never counted as a new claim."
    )
    shown = restated.head(LISTED)
    ui.plain_list([f"{claims.restatement_sentence(r)}." for r in shown.to_dict("records")])
    if len(restated) > LISTED:
        st.caption(f"The first {LISTED} of {len(restated):,}; every row is in the table below.")

st.subheader("Capacity behind the groups")
with ui.lazy_expander("Madrassas, students and budgets: the chart", key="strength_capacity") as box:
    if box.open:
        capacity = ui.built(strength.build_capacity_chart, ds, state)
        if not capacity:
            st.info("No capacity indicator matches the current filters.")
        for spec in capacity:
            ui.show_chart(spec, "capacity_indicators", selectable=False)

st.subheader("All claims")
if frame.empty:
    st.caption("No claim under the current filters.")
else:
    with ui.lazy_expander(f"Every claim in view ({len(frame):,})", key="strength_claims") as box:
        if box.open:
            ui.table(claims.claims_table(frame), complete_in="the strength charts' CSV downloads")
