"""blob holders: who has shown they hold a blob's bytes

Revision ID: 0009_blob_holders
Revises: 0008_system_voided_numbers
Create Date: 2026-12-04 17:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0009_blob_holders'
down_revision = '0008_system_voided_numbers'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('blob_holders',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['sha256'], ['blobs.sha256'], name=op.f('fk_blob_holders_sha256_blobs')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_blob_holders_user_id_users')),
    sa.PrimaryKeyConstraint('sha256', 'user_id', name=op.f('pk_blob_holders'))
    )
    # Whoever uploaded a blob holds it.
    op.execute("INSERT INTO blob_holders (sha256, user_id, at) SELECT sha256, uploaded_by, uploaded_at FROM blobs")


def downgrade():
    op.drop_table('blob_holders')
