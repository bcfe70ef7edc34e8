"""The occupational-health field system (职业卫生现场工作系统).

Importing this package loads no web framework: server.domain and server.sync stay plain Python.
"""


def create_app(overrides=None):
    """Build the Flask application (see server/app.py)."""
    from .app import create_app as build
    return build(overrides)
