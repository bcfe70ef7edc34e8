"""Every endpoint is in the OpenAPI document, with the error envelope documented."""

import re

HTTP_METHODS = {"get", "post", "put", "patch", "delete", "head"}


def test_openapi_lists_every_api_route_with_the_error_envelope(app, client):
    spec = client.get("/api/openapi.json").get_json()
    documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops
                  if method in HTTP_METHODS}
    routes = {(re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", rule.rule), method)
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")
              and rule.endpoint.split(".")[0] != "api-docs"
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes - documented == set()
    assert "Error" in spec["components"]["schemas"]
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if method not in HTTP_METHODS:
                continue
            assert "default" in op["responses"], (path, method)


def test_login_needs_no_token_and_others_do(client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["paths"]["/api/auth/login"]["post"]["security"] == []
    assert spec["security"] == [{"bearerAuth": []}]


def test_browsable_docs_page_is_served(client):
    response = client.get("/api/docs")
    assert response.status_code == 200 and b"swagger-ui" in response.data
