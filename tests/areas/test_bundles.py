"""Combinators and bundles (with the query builders), records across namespaces."""

from __future__ import annotations

from uuid import UUID

import pytest

from hat_sdk import GetOpts, HatModel, NotFoundError, Ordering, RecordNotFoundError
from hat_sdk.queries import (
    between,
    contains,
    data_bundle,
    endpoint_query,
    find,
    identity,
    is_in,
    property_query,
)
from tests.areas.conftest import AnyClient, Reading, Store, done, raises

pytestmark = pytest.mark.anyio


class Label(HatModel):
    """A combinator result mapped to one field."""

    name: str


async def _readings(hat: AnyClient) -> list[Reading]:
    return await done(
        hat.post(*(Reading(endpoint="readings", value=v, label=f"r{v}") for v in range(1, 6)))
    )


async def test_combinator_filters_and_mapping(hat: AnyClient) -> None:
    await _readings(hat)
    await done(
        hat.combinators.register(
            "mid-readings",
            [
                endpoint_query(
                    "sandbox-app/readings",
                    filters=[between("value", 2, 4, transformation=identity())],
                    mapping={"name": "label"},
                )
            ],
        )
    )
    labels = await done(
        hat.combinators.data(
            "mid-readings", Label, GetOpts(order_by="value", ordering=Ordering.DESCENDING)
        )
    )
    assert [label.name for label in labels] == ["r4", "r3", "r2"]
    assert all(label.endpoint == "sandbox-app/readings" for label in labels)

    await done(
        hat.combinators.register(
            "picked",
            [endpoint_query("sandbox-app/readings", filters=[is_in("label", ["r1", "r5"])])],
        )
    )
    picked = await done(hat.combinators.data("picked", Reading))
    assert sorted(r.value for r in picked) == [1, 5]

    await done(
        hat.combinators.register(
            "found", [endpoint_query("sandbox-app/readings", filters=[find("label", "r3")])]
        )
    )
    assert [r.label for r in await done(hat.combinators.data("found", Reading))] == ["r3"]
    await raises(NotFoundError, lambda: hat.combinators.data("no-such-combinator", Reading))


async def test_links_and_record_operations(hat: AnyClient) -> None:
    first = await _readings(hat)
    second = await done(hat.post(Label(endpoint="labels", name="linked")))
    assert first[0].record_id is not None
    assert second[0].record_id is not None
    await done(hat.records.link(records=[first[0].record_id, second[0].record_id]))
    await done(
        hat.combinators.register(
            "with-links",
            [
                endpoint_query(
                    "sandbox-app/readings",
                    filters=[contains("label", "r1")],
                    links=[endpoint_query("sandbox-app/labels")],
                )
            ],
        )
    )
    records = await done(hat.combinators.records("with-links"))
    assert len(records) == 1
    assert records[0].links is not None
    assert [link.data for link in records[0].links] == [{"name": "linked"}]

    again = await done(hat.records.get_record(first[0].record_id))
    assert again.record_id == first[0].record_id
    assert again.endpoint == "sandbox-app/readings"
    assert again.data == first[0].record_data()
    sources = await done(hat.records.sources())
    assert sorted(sources.root["sandbox-app"]) == ["labels", "readings"]
    await raises(
        RecordNotFoundError,
        lambda: hat.records.get_record(UUID("00000000-0000-4000-8000-000000000000")),
    )


async def test_bundle_register_data_structure(hat: AnyClient, store: Store) -> None:
    await _readings(hat)
    store("rumpel/profile", [{"name": "Ada"}])
    bundle = data_bundle(
        "dashboard",
        {
            "top": property_query(
                "sandbox-app/readings", order_by="value", ordering=Ordering.DESCENDING, limit=2
            ),
            "profile": "rumpel/profile",
        },
    )
    await done(hat.bundles.register(bundle.name, bundle.bundle))
    data = await done(hat.bundles.data("dashboard", HatModel))
    assert [r.model_extra for r in data["top"]] == [
        {"value": 5.0, "label": "r5"},
        {"value": 4.0, "label": "r4"},
    ]
    models: dict[str, type[HatModel]] = {"top": Reading, "profile": HatModel}
    typed = await done(hat.bundles.data("dashboard", models))
    assert [(type(r), r.record_data()["value"]) for r in typed["top"]] == [
        (Reading, 5.0),
        (Reading, 4.0),
    ]
    assert typed["profile"][0].model_extra == {"name": "Ada"}

    structure = await done(hat.bundles.structure("dashboard"))
    assert structure.name == "dashboard"
    assert set(structure.bundle.root) == {"top", "profile"}
    await raises(NotFoundError, lambda: hat.bundles.data("no-such-bundle", HatModel))
    await raises(NotFoundError, lambda: hat.bundles.structure("no-such-bundle"))
