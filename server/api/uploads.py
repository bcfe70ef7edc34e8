"""An uploaded sheet as the import views read it: its file name and bytes, or a clear 422 when none was sent."""
from ..domain.errors import invalid


def uploaded_file(files):
    """(filename, bytes) of the form's `file` field."""
    upload = files["file"]
    if not getattr(upload, "filename", None):
        raise invalid("请上传文件", "file", "required", "请上传文件", "Upload a file")
    return upload.filename, upload.read()
