"""reference versions: an admin's edit waits for a second admin and its effective date; rows count their versions

Revision ID: 0012_reference_versions
Revises: 0011_audit_chain
Create Date: 2026-12-06 10:00:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy import Text  # noqa: F401  (autogenerate writes JSONB(astext_type=Text()))
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0012_reference_versions'
down_revision = '0011_audit_chain'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql')


def upgrade():
    with op.batch_alter_table('reference_rows', schema=None) as batch_op:
        # Every row already stored is its first version, in force since it was loaded.
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('version_from', sa.Date(), nullable=True))
    op.create_table('reference_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('row_key', sa.String(length=255), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('base_number', sa.Integer(), nullable=True),
    sa.Column('data', JSON, nullable=False),
    sa.Column('before', JSON, nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('in_force_from', sa.Date(), nullable=True),
    sa.Column('proposed_by', sa.Integer(), nullable=False),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_reference_versions_decided_by_users')),
    sa.ForeignKeyConstraint(['proposed_by'], ['users.id'], name=op.f('fk_reference_versions_proposed_by_users')),
    sa.ForeignKeyConstraint(['table_name'], ['reference_tables.name'],
                            name=op.f('fk_reference_versions_table_name_reference_tables')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_versions')),
    sa.UniqueConstraint('table_name', 'row_key', 'number', name=op.f('uq_reference_versions_table_name'))
    )
    with op.batch_alter_table('reference_versions', schema=None) as batch_op:
        batch_op.create_index('ix_reference_versions_row', ['table_name', 'row_key'], unique=False)
        batch_op.create_index('ix_reference_versions_state', ['state'], unique=False)


def downgrade():
    with op.batch_alter_table('reference_versions', schema=None) as batch_op:
        batch_op.drop_index('ix_reference_versions_state')
        batch_op.drop_index('ix_reference_versions_row')
    op.drop_table('reference_versions')
    with op.batch_alter_table('reference_rows', schema=None) as batch_op:
        batch_op.drop_column('version_from')
        batch_op.drop_column('version')
