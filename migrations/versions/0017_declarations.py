"""declarations: each enterprise's 职业病危害项目申报 — the first declaration, the latest declaration or update, and
the next one due (set by the application from the two dates and the reference rule) — indexed for the yearly count
of first declarations and the overdue ones

Revision ID: 0017_declarations
Revises: 0016_class_assessments
Create Date: 2026-12-07 09:30:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0017_declarations'
down_revision = '0016_class_assessments'
branch_labels = None
depends_on = None


def upgrade():
    # Nothing to fill in: no registry held these dates before; every enterprise reads 未申报 until they are entered.
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_declared_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('last_declared_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('declaration_due_on', sa.Date(), nullable=True))
    op.create_index('ix_enterprises_first_declared_on', 'enterprises', ['first_declared_on'], unique=False)
    op.create_index('ix_enterprises_declaration_due_on', 'enterprises', ['declaration_due_on'], unique=False)


def downgrade():
    op.drop_index('ix_enterprises_declaration_due_on', table_name='enterprises')
    op.drop_index('ix_enterprises_first_declared_on', table_name='enterprises')
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.drop_column('declaration_due_on')
        batch_op.drop_column('last_declared_on')
        batch_op.drop_column('first_declared_on')
