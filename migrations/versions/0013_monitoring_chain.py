"""monitoring chain: sample handovers, laboratory results, national-system entries; the laboratory role

Revision ID: 0013_monitoring_chain
Revises: 0012_reference_versions
Create Date: 2026-12-05 08:30:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy import Text  # noqa: F401
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0013_monitoring_chain'
down_revision = '0012_reference_versions'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql')
ROLES_BEFORE = "role in ('sampler','inspector','assistant','followup','supervisor','admin')"
ROLES_AFTER = "role in ('sampler','inspector','assistant','followup','laboratory','supervisor','admin')"


def _roles(check):
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_roles_known_role'), type_='check')
        batch_op.create_check_constraint('known_role', check)


def upgrade():
    _roles(ROLES_AFTER)
    op.create_table('sample_handovers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('visit_id', sa.String(length=36), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('items', JSON, nullable=False),
    sa.Column('handed_by', sa.Integer(), nullable=False),
    sa.Column('handed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('handed_signature', sa.String(length=64), nullable=True),
    sa.Column('received_by', sa.Integer(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_signature', sa.String(length=64), nullable=True),
    sa.Column('receipt', JSON, nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_sample_handovers_agency_id_agencies')),
    sa.ForeignKeyConstraint(['handed_by'], ['users.id'], name=op.f('fk_sample_handovers_handed_by_users')),
    sa.ForeignKeyConstraint(['received_by'], ['users.id'], name=op.f('fk_sample_handovers_received_by_users')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_sample_handovers_region_id_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sample_handovers'))
    )
    with op.batch_alter_table('sample_handovers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sample_handovers_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sample_handovers_visit_id'), ['visit_id'], unique=False)

    op.create_table('lab_results',
    sa.Column('sample_id', sa.String(length=36), nullable=False),
    sa.Column('visit_id', sa.String(length=36), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('values', JSON, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('history', JSON, nullable=False),
    sa.Column('analysis_date', sa.Date(), nullable=True),
    sa.Column('entered_by', sa.Integer(), nullable=False),
    sa.Column('entered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locked_by', sa.String(length=36), nullable=True),
    sa.Column('pending', JSON, nullable=True),
    sa.ForeignKeyConstraint(['entered_by'], ['users.id'], name=op.f('fk_lab_results_entered_by_users')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_lab_results_region_id_regions')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_lab_results_updated_by_users')),
    sa.PrimaryKeyConstraint('sample_id', name=op.f('pk_lab_results'))
    )
    with op.batch_alter_table('lab_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lab_results_analysis_date'), ['analysis_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_lab_results_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lab_results_visit_id'), ['visit_id'], unique=False)

    op.create_table('national_entries',
    sa.Column('visit_id', sa.String(length=36), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('entered_on', sa.Date(), nullable=False),
    sa.Column('entered_by', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entered_by'], ['users.id'], name=op.f('fk_national_entries_entered_by_users')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_national_entries_region_id_regions')),
    sa.PrimaryKeyConstraint('visit_id', name=op.f('pk_national_entries'))
    )
    with op.batch_alter_table('national_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_national_entries_entered_on'), ['entered_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_national_entries_region_id'), ['region_id'], unique=False)


def downgrade():
    op.drop_table('national_entries')
    op.drop_table('lab_results')
    op.drop_table('sample_handovers')
    _roles(ROLES_BEFORE)
