"""The API describes itself: a valid OpenAPI schema and its documentation page, served without a token
and holding no record; the old JSON feed points to the API that replaces it."""

import re

from django.urls import reverse
from openapi_spec_validator import validate

from recovery.views import FEED_SUNSET


def test_the_schema_is_valid_openapi_and_describes_every_endpoint(client):
    response = client.get(reverse("api:schema"), {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert set(schema["paths"]) >= {
        "/api/v1/patients/",
        "/api/v1/sessions/{session_id}/",
        "/api/v1/recoveries/",
        "/api/v1/batches/",
    }
    assert schema["components"]["securitySchemes"]["token"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token a manager created for one clinic under Clinic settings → API tokens.",
    }


def test_the_docs_page_runs_no_inline_script_and_loads_its_own_from_this_site(client):
    response = client.get(reverse("api:docs"))

    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'<script src="([^"]+)"></script>', page)
    assert len(sources) == page.count("<script") == 2
    assert all(source.startswith("/") for source in sources)
    assert "style=" not in page
    assert "<style" not in page
    script = client.get(sources[-1])
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert reverse("api:schema") in script.content.decode()


def test_the_old_feed_says_it_is_deprecated_and_where_its_successor_is(client_for, alice):
    response = client_for(alice).get(reverse("recovery:feed"))

    assert response.status_code == 200
    assert response["Deprecation"] == "@1796601600"
    assert response["Sunset"] == FEED_SUNSET
    assert f'<{reverse("api:recoveries")}>; rel="successor-version"' in response["Link"]
