"""All tables. Importing this package registers every model on Base.metadata."""
from .base import Base, JSONType, UTCDateTime, new_uuid, utcnow  # noqa: F401
from .agencies import Agency, Region, Team  # noqa: F401
from .users import ROLES, User, UserRole  # noqa: F401
from .auth import Device, RefreshToken, RevokedAccessToken  # noqa: F401
from .enterprises import SIZES, Enterprise  # noqa: F401
from .sync_state import SyncState  # noqa: F401
from .reference import ReferenceAudit, ReferenceRow, ReferenceTable, ReferenceVersion  # noqa: F401
from .records import Record, RecordChange  # noqa: F401
from .sync_log import Conflict, Mutation  # noqa: F401
from .blobs import Blob, BlobHolder, Upload  # noqa: F401
from .documents import Document, DocumentFile, DocumentVoid, NumberBlock, NumberSeries, VoidedNumber  # noqa: F401
from .draws import Draw  # noqa: F401
from .exports import ExportJob  # noqa: F401
from .audit import AuditChain, AuditEntry  # noqa: F401
from .monitoring import LabResult, NationalEntry, SampleHandover  # noqa: F401
from .classification import ClassAssessment, ClassSamplingRatio  # noqa: F401
