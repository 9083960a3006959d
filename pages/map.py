"""Map: where the threats sit, in northern Afghanistan and along its Central Asian borders.

The map shades each province by the records (under the current filters) that name it, marks the
district, cities and canal the sources name, and draws the Tajik, Uzbek and Turkmen borders.
Clicking a province lists its records with their sources and quotes. Everything is computed in
dashboard/charts/province_map.py; data text is shown as text, never as markup.
"""

import streamlit as st

from dashboard import ui
from dashboard.charts import province_map

ds = ui.dataset()
state = ui.filters(ds)

st.title("Northern Afghanistan and its Central Asian borders")
spec = ui.built(province_map.build_province_map, ds, state)
clicked = ui.show_chart(spec, "province_map")
province_ids = province_map.selected_provinces(clicked)
if province_ids:
    picked = province_map.records_of(spec.rows, province_ids)
    st.markdown(f"**Records naming {ui.plain(', '.join(picked['province'].unique()))}**")
    ui.table(picked)
else:
    st.caption("Click a shaded province to list its records here.")
with st.expander(f"Records behind this map ({len(spec.rows)} record–province pairs)"):
    ui.table(province_map.records_of(spec.rows))
