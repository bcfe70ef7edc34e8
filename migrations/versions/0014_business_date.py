"""business date: the date of each root record's work (sampling, inspection, visit, follow-up date) as an indexed
column, set whenever a record is written, so that KPIs and lists query a period in SQL

Revision ID: 0014_business_date
Revises: 0013_monitoring_chain
Create Date: 2026-12-05 12:10:00

"""
import datetime as dt
import json

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0014_business_date'
down_revision = '0013_monitoring_chain'
branch_labels = None
depends_on = None

# As in server/models/records.py BUSINESS_DATE_FIELDS when this revision was written (a migration keeps its own copy).
FIELDS = {"sampling_visit": "sampling_date", "inspection": "inspection_date", "assistance_visit": "visit_date",
          "followup": "followup_date", "reinspection": "reinspection_date", "workplace_survey": "survey_date"}
BATCH = 2000


def _day(value):
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def upgrade():
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('business_date', sa.Date(), nullable=True))
    op.create_index('ix_records_entity_region_business_date', 'records', ['entity', 'region_id', 'business_date'],
                    unique=False)
    records = sa.table('records', sa.column('id', sa.String), sa.column('entity', sa.String),
                       sa.column('data', sa.JSON), sa.column('business_date', sa.Date))
    bind = op.get_bind()
    last = ""
    while True:
        rows = bind.execute(sa.select(records.c.id, records.c.entity, records.c.data)
                            .where(records.c.entity.in_(sorted(FIELDS)), records.c.id > last)
                            .order_by(records.c.id).limit(BATCH)).all()
        if not rows:
            break
        for record_id, entity, data in rows:
            data = json.loads(data) if isinstance(data, str) else (data or {})
            day = _day(data.get(FIELDS[entity]))
            if day is not None:
                bind.execute(sa.update(records).where(records.c.id == record_id).values(business_date=day))
        last = rows[-1][0]


def downgrade():
    op.drop_index('ix_records_entity_region_business_date', table_name='records')
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.drop_column('business_date')
