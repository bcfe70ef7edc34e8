"""job queue: procrastinate's tables and functions (PostgreSQL), export files in the blob store, finished uploads kept

- PostgreSQL only: the schema of procrastinate 3.10.0 (server/jobs.py), read from the installed, pinned package. Its
  objects are all named procrastinate_* in the public schema; migrations/env.py leaves them out of autogenerate. An
  upgrade of procrastinate comes with a new migration here that runs the package's files of
  procrastinate/sql/migrations/ between the two versions (what its documentation asks of projects that migrate their
  own schema), never by editing this one.
- export_jobs.file_sha256: a finished export is a blob (content-addressed) in the installation's store, so any app
  host serves the file whichever host's worker wrote it.
- uploads.finished_at: a finished upload stays known until housekeeping clears it, so finishing it again (a retry
  that reached another host) answers with the published blob instead of "no such upload".

Revision ID: 0018_job_queue
Revises: 0017_declarations
Create Date: 2026-12-06 10:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0018_job_queue'
down_revision = '0017_declarations'
branch_labels = None
depends_on = None

PROCRASTINATE_TABLES = ("procrastinate_events", "procrastinate_periodic_defers", "procrastinate_jobs",
                        "procrastinate_workers")


def upgrade():
    with op.batch_alter_table('export_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('file_sha256', sa.String(length=64), nullable=True))
    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        from procrastinate.schema import SchemaManager

        # Straight to psycopg without parameters: the text holds '%' (RAISE formats), '::' casts and ':' of its own.
        op.get_bind().connection.driver_connection.execute(SchemaManager.get_schema())


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in PROCRASTINATE_TABLES:
            op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
        op.execute("""DO $$ DECLARE f record; BEGIN
            FOR f IN SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                     WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate%' LOOP
                EXECUTE 'DROP FUNCTION IF EXISTS ' || f.name || ' CASCADE';
            END LOOP; END $$""")
        for name in ("procrastinate_job_to_defer_v1", "procrastinate_job_event_type", "procrastinate_job_status"):
            op.execute(f"DROP TYPE IF EXISTS {name} CASCADE")
    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.drop_column('finished_at')
    with op.batch_alter_table('export_jobs', schema=None) as batch_op:
        batch_op.drop_column('file_sha256')
