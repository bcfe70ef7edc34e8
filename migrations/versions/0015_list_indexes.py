"""list indexes: a rectification item's deadline as its business date and its 销号 day as a column (open items found
by index), a sampling visit's tallies (what the figures count of its evaluation), and the indexes of a district's
pull and of the review queue

Revision ID: 0015_list_indexes
Revises: 0014_business_date
Create Date: 2026-12-05 18:40:00

"""
import datetime as dt
import json

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0015_list_indexes'
down_revision = '0014_business_date'
branch_labels = None
depends_on = None

BATCH = 2000
JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def _tallies(computed):
    """As server/models/records.py visit_tallies when this revision was written (a migration keeps its own copy)."""
    evaluation = (computed or {}).get("evaluation") or {}
    summary = evaluation.get("summary") or {}
    posts = [[group.get("hazard_key") or "noise", group["evaluation"]["result"]]
             for group in (evaluation.get("groups") or []) + (evaluation.get("noise") or [])
             if group.get("status") == "evaluated" and (group.get("evaluation") or {}).get("result")]
    return {"samples": summary.get("samples") or 0, "blanks": summary.get("blanks") or 0, "posts": posts}


def _day(value):
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def upgrade():
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('tallies', JSON_TYPE, nullable=True))
    records = sa.table('records', sa.column('id', sa.String), sa.column('entity', sa.String),
                       sa.column('data', sa.JSON), sa.column('computed', sa.JSON), sa.column('business_date', sa.Date),
                       sa.column('closed_on', sa.Date), sa.column('tallies', sa.JSON))
    bind = op.get_bind()
    last = ""
    while True:
        rows = bind.execute(sa.select(records.c.id, records.c.computed)
                            .where(records.c.entity == 'sampling_visit', records.c.id > last)
                            .order_by(records.c.id).limit(BATCH)).all()
        if not rows:
            break
        for record_id, computed in rows:
            computed = json.loads(computed) if isinstance(computed, str) else computed
            bind.execute(sa.update(records).where(records.c.id == record_id).values(tallies=_tallies(computed)))
        last = rows[-1][0]
    last = ""
    while True:
        rows = bind.execute(sa.select(records.c.id, records.c.data)
                            .where(records.c.entity == 'rectification_item', records.c.id > last)
                            .order_by(records.c.id).limit(BATCH)).all()
        if not rows:
            break
        for record_id, data in rows:
            data = json.loads(data) if isinstance(data, str) else (data or {})
            bind.execute(sa.update(records).where(records.c.id == record_id).values(
                business_date=_day(data.get('deadline')), closed_on=_day(data.get('closed_on'))))
        last = rows[-1][0]
    op.create_index('ix_records_region_change_no', 'records', ['region_id', 'change_no'], unique=False)
    op.create_index('ix_records_entity_region_closed_on', 'records', ['entity', 'region_id', 'closed_on'],
                    unique=False)
    op.create_index('ix_records_review_status_created_at', 'records', ['review_status', 'created_at'], unique=False)
    op.create_index('ix_records_roots_created_at', 'records', ['created_at'], unique=False,
                    postgresql_where=sa.text('parent_id IS NULL'), sqlite_where=sa.text('parent_id IS NULL'))


def downgrade():
    op.drop_index('ix_records_roots_created_at', table_name='records')
    op.drop_index('ix_records_review_status_created_at', table_name='records')
    op.drop_index('ix_records_entity_region_closed_on', table_name='records')
    op.drop_index('ix_records_region_change_no', table_name='records')
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.drop_column('tallies')
        batch_op.drop_column('closed_on')
