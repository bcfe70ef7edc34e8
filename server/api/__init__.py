"""HTTP layer: blueprints, the OpenAPI document and error handling."""
from . import audit, auth, blobs, campaigns, summaries, classification, devices, documents, draws, exports, kpis, ledgers, monitoring, patients, records, enterprises, evaluations, forms, health, reference, regions, sync, users
from . import literacy
from .access import register_jwt_callbacks
from .errors import EnvelopeApi, register_error_handlers

API_BLUEPRINTS = (auth.blp, enterprises.blp, devices.blp, users.blp, regions.blp, forms.blp, reference.blp,
                  evaluations.blp, sync.blp, blobs.blp, documents.blp,
                  records.blp, monitoring.blp, patients.blp, kpis.blp, summaries.blp, draws.blp, exports.blp, audit.blp,
                  classification.blp, ledgers.blp, campaigns.blp, literacy.blp)


def api_settings(app):
    """flask-smorest settings: the spec at /api/openapi.json and Swagger UI at /api/docs."""
    return {
        "API_TITLE": "职业卫生现场工作系统 API",
        "API_VERSION": "1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        # Served from our own static files: the machines this runs on may have no internet.
        "OPENAPI_SWAGGER_UI_URL": "/static/vendor/swagger-ui/",
        "API_SPEC_OPTIONS": {
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                                              "bearerFormat": "JWT"}}},
            "security": [{"bearerAuth": []}],
            "info": {"description": "离线优先的职业卫生现场采样、监督执法、帮扶与随访系统。"
                                    "Every error answers {\"error\": {code, message, details, request_id}}."},
        },
    }


def init_api(app):
    """Create the app's Api, register every blueprint and the error handlers."""
    for key, value in api_settings(app).items():
        app.config.setdefault(key, value)
    api = EnvelopeApi(app)
    for blueprint in API_BLUEPRINTS:
        api.register_blueprint(blueprint)
    app.register_blueprint(health.bp)
    app.register_blueprint(draws.page_bp)
    register_error_handlers(app)
    register_jwt_callbacks()
    return api
