"""Sending a stored file (an attachment, an export) as the answer, from local disk or an object store."""
from flask import send_file


def send_stored(stream, **kwargs):
    """The file as the response; an object store's stream has no file size Flask can read, so its length is set
    from the stream (left unset it would be sent as "Content-Length: None", a 500 behind gunicorn)."""
    response = send_file(stream, **kwargs)
    if response.content_length is None and getattr(stream.raw, "size", None) is not None:
        response.content_length = stream.raw.size
    return response
