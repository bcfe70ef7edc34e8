"""audit chain: SM3 hashes chaining the audit log, and the chain's head

Revision ID: 0011_audit_chain
Revises: 0010_account_controls
Create Date: 2026-12-04 17:30:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0011_audit_chain'
down_revision = '0010_account_controls'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('entry_hash', sa.String(length=64), nullable=True))
        # A failed login names no known user.
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=True)
    op.create_table('audit_chain',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entries', sa.BigInteger(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.Column('base_hash', sa.String(length=64), nullable=False),
    sa.Column('pruned_through', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain'))
    )


def downgrade():
    op.drop_table('audit_chain')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('entry_hash')
        batch_op.drop_column('prev_hash')
