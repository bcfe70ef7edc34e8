"""Exit 0 when the PostgreSQL server at the given URL accepts connections (used by `make test`)."""
import sys

import sqlalchemy as sa

try:
    engine = sa.create_engine(sys.argv[1], connect_args={"connect_timeout": 3})
    with engine.connect() as connection:
        connection.execute(sa.text("SELECT 1"))
except Exception as error:  # any failure means "not reachable"
    print(f"PostgreSQL not reachable: {error.__class__.__name__}", file=sys.stderr)
    sys.exit(1)
