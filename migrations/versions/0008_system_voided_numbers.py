"""numbers voided by the system (a closed year's unreturned block) have no user

Revision ID: 0008_system_voided_numbers
Revises: 0007_audit_log
Create Date: 2026-12-04 17:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0008_system_voided_numbers'
down_revision = '0007_audit_log'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('voided_numbers', schema=None) as batch_op:
        batch_op.alter_column('voided_by', existing_type=sa.Integer(), nullable=True)


def downgrade():
    with op.batch_alter_table('voided_numbers', schema=None) as batch_op:
        batch_op.alter_column('voided_by', existing_type=sa.Integer(), nullable=False)
