"""Map: northern Afghanistan and the Central Asian side of its border, and the records by place.

The map shades each province by the records (under the current filters, and the chosen year)
that name it, marks the districts the sources name and the border crossings, and draws the Panj
and the Amu Darya. A click (or the list below it) picks a place; its records are listed with
their sources and quotes (all the map's records: a table built only when opened). The place and
the year are in the link. Everything is computed in dashboard/charts/province_map.py and
dashboard/view/places.py; data text is shown as text.
"""

import streamlit as st

from dashboard import ui
from dashboard.charts import province_map
from dashboard.view import places

ds = ui.dataset()
state = ui.filters(ds)

st.title("Northern Afghanistan and its Central Asian borders")
choice = ui.map_choice(ds, state)
if places.year_outside_dates(state, choice.year):
    st.info(f"The filters' dates leave nothing of {choice.year}: the map is empty.")
spec = ui.built(province_map.build_province_map, ds, state, year=choice.year)
choice = ui.map_chart(spec, choice)
choice = ui.map_place_picker(ds, choice)
if choice.place_id:
    view = places.year_view(ds, state, choice.year)
    found = places.answer(view, choice.place_id, period=f"in {choice.year}" if choice.year else "")
    st.markdown(f"**{ui.plain(found.headline)}**")
    if found.count:
        ui.table(places.records_table(found.rows, ds.places))
    if places.unmapped(ds, choice.place_id):
        st.caption(
            f"{ui.plain(found.name)} has no marker on the map: no gazetteer page giving its "
            "coordinates was found, so none are invented (its records count for its province)."
        )
ui.lazy_table(
    f"Records behind this map ({len(spec.rows)} record–province pairs)",
    key="map_records",
    rows=lambda: places.records_table(spec.rows, ds.places),
)
