"""class assessments: each 分类监督执法 assessment of an enterprise kept as history (the enterprise's current class
follows the latest), and each district's 双随机 draw ratio per class, set by its supervision agency

Revision ID: 0016_class_assessments
Revises: 0015_list_indexes
Create Date: 2026-12-06 10:20:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0016_class_assessments'
down_revision = '0015_list_indexes'
branch_labels = None
depends_on = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade():
    op.create_table('class_assessments',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('scheme', sa.String(length=32), nullable=False),
    sa.Column('label', sa.String(length=4), nullable=False),
    sa.Column('risk_grade', sa.String(length=4), nullable=True),
    sa.Column('management_grade', sa.String(length=4), nullable=True),
    sa.Column('matrix_verified', sa.Boolean(), nullable=False),
    sa.Column('inputs', JSON_TYPE, nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('next_due', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('assessed_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessed_by'], ['users.id'], name=op.f('fk_class_assessments_assessed_by_users')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'],
                            name=op.f('fk_class_assessments_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_class_assessments_region_id_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_class_assessments'))
    )
    with op.batch_alter_table('class_assessments', schema=None) as batch_op:
        batch_op.create_index('ix_class_assessments_enterprise_assessed', ['enterprise_id', 'assessed_on'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_class_assessments_region_id'), ['region_id'], unique=False)

    op.create_table('class_sampling_ratios',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('scheme', sa.String(length=32), nullable=False),
    sa.Column('label', sa.String(length=8), nullable=False),
    sa.Column('ratio_pct', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('updated_by', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_class_sampling_ratios_region_id_regions')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_class_sampling_ratios_updated_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_class_sampling_ratios')),
    sa.UniqueConstraint('region_id', 'scheme', 'label', name=op.f('uq_class_sampling_ratios_region_id'))
    )


def downgrade():
    op.drop_table('class_sampling_ratios')
    with op.batch_alter_table('class_assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_class_assessments_region_id'))
        batch_op.drop_index('ix_class_assessments_enterprise_assessed')
    op.drop_table('class_assessments')
