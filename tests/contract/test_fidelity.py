"""Schema facts the spec once got wrong, pinned to the Play JSON formats they come from.

Sources: dataswift/hat-client-scala-play @ 6b0bc448 (scala-steward mirror), the last public
copy of the server's models; dataswift/HAT2.0 @ beb2c0b6 (v2.8.18). See openapi/FIDELITY.md.
"""

from __future__ import annotations

import copy
from typing import Any

from ._spec import validation_errors

APPLICATION = "/components/schemas/Application"


def _application() -> dict[str, Any]:
    return {
        "id": "notables",
        "kind": {"url": "https://notables.example.com", "kind": "App"},
        "info": {
            "version": "1.1.0",
            "published": True,
            "name": "Notables",
            "headline": "Share notes",
            "description": {"text": "Notes."},
            "hmiDescription": "Notables reads and writes your notes.",
            "termsUrl": "https://notables.example.com/terms",
            "dataUsePurpose": "Notes",
            "supportContact": "support@example.com",
            "rating": {"score": "A", "points": 3},
            "dataPreview": [],
            "graphics": {"banner": {"normal": ""}, "logo": {"normal": ""}, "screenshots": []},
        },
        "developer": {"id": "d", "name": "D", "url": "https://example.com"},
        "permissions": {"rolesGranted": [{"role": "namespacewrite", "detail": "rumpel"}]},
        "dependencies": {"plugs": ["spotify"], "tools": [], "contracts": []},
        "setup": {"kind": "External", "validRedirectUris": [], "dependencies": ["spotify"]},
        "status": {
            "kind": "Internal",
            "compatibility": "1.0.0",
            "versionReleaseDate": "2024-01-15T12:00:00.000Z",
        },
    }


def test_a_real_application_validates() -> None:
    assert validation_errors(_application(), APPLICATION) == []


def test_hmi_description_is_a_plain_string() -> None:
    # ApplicationInfo.hmiDescription: Option[String] (models/applications/Application.scala:62).
    app = _application()
    app["info"]["hmiDescription"] = {"text": "Notables reads and writes your notes."}
    assert validation_errors(app, APPLICATION) != []


def test_setup_dependencies_are_application_ids() -> None:
    # ApplicationSetup.{External,Internal}.dependencies: Option[Seq[String]]
    # (Application.scala:133,141).
    app = _application()
    app["setup"]["dependencies"] = {"plugs": ["spotify"], "tools": [], "contracts": []}
    assert validation_errors(app, APPLICATION) != []


def test_required_fields_of_the_play_formats() -> None:
    # Non-Option fields are required by Json.format: ApplicationRating.points
    # (Application.scala:46), ApplicationDependencies.{plugs,tools,contracts} (:109-112),
    # ApplicationStatus.Internal.versionReleaseDate (:179).
    removals = [
        ("info", "rating", "points"),
        ("dependencies", "tools"),
        ("status", "versionReleaseDate"),
    ]
    for path in removals:
        app = copy.deepcopy(_application())
        node = app
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
        assert validation_errors(app, APPLICATION) != [], path


def test_periodic_trigger_period_is_an_iso_period_string() -> None:
    # TriggerPeriodic(period: Period) written by periodWrites as JsString(period.toString)
    # (RichDataJsonFormats.scala:154-156; HAT she/models/FunctionConfiguration.scala).
    pointer = "/components/schemas/FunctionTrigger"
    assert validation_errors({"triggerType": "periodic", "period": "P1D"}, pointer) == []
    assert validation_errors({"triggerType": "periodic", "period": 86400000}, pointer) != []
