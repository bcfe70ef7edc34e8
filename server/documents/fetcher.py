"""The only way WeasyPrint reaches resources: data: URIs (inline or decoded beforehand) and the package's assets."""
import base64
import collections
import contextlib
import logging
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

LOGGER = logging.getLogger(__name__)
DATA_IMAGE = re.compile(r"data:(image/(?:png|jpeg));base64,(.*)", re.DOTALL)
INLINE_SCHEME = "inline"


class FetchRefused(ValueError):
    """A resource outside data: URIs and the package assets was asked for."""


class AssetFetcher(URLFetcher):
    """Serves data: URIs, files of one asset directory and the named extra files; refuses and records the rest."""

    def __init__(self, asset_dir, history=200, extra_files=()):
        super().__init__(allowed_protocols=("data",), allow_redirects=False, timeout=1)
        root = Path(asset_dir).resolve()
        # An explicit list, not "anything under root": a symlink or a file added later is not an asset.
        files = [*(path for path in root.rglob("*") if path.is_file()), *map(Path, extra_files)]
        self._assets = {path.resolve(): path for path in files}
        self._inline = {}
        self.fetched = collections.deque(maxlen=history)
        self.refused = collections.deque(maxlen=history)

    @contextlib.contextmanager
    def inline_images(self):
        """For one render: `add(data_uri, transform=None) -> "inline:n"`; the HTML carries that, not the base64."""
        # A photo's base64 inside the HTML costs the pure-Python HTML parser about 50 ms; decoded here it costs
        # almost nothing. The bytes still come only from the context's own data: URIs.
        by_uri = {}

        def add(data_uri, transform=None):
            if data_uri not in by_uri:
                match = DATA_IMAGE.fullmatch(data_uri)
                if match is None:
                    raise ValueError("只接受 PNG/JPEG 的 data: URI（only PNG/JPEG data: URIs）")
                body = base64.b64decode(match[2])
                url = f"{INLINE_SCHEME}:{len(by_uri)}"
                self._inline[url] = (match[1], transform(body) if transform else body)
                by_uri[data_uri] = url
            return by_uri[data_uri]
        try:
            yield add
        finally:
            self._inline = {}

    def fetch(self, url, headers=None):
        """A response for an allowed URL; FetchRefused (recorded and logged) for any other."""
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            self.fetched.append(url[:40])
            return super().fetch(url, headers)
        if scheme == INLINE_SCHEME and url in self._inline:
            self.fetched.append(url)
            mime_type, body = self._inline[url]
            return URLFetcherResponse(url, body=body, headers={"Content-Type": mime_type})
        path = self._asset_path(url) if scheme == "file" else None
        if path is None:
            self.refused.append(url)
            LOGGER.warning("文书渲染拒绝加载资源: %s", url[:200])
            raise FetchRefused(f"资源不在允许范围内: {url[:200]}")
        self.fetched.append(url)
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime_type})

    def _asset_path(self, url):
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost") or parts.query:
            return None
        try:
            return self._assets.get(Path(unquote(parts.path)).resolve())
        except (OSError, ValueError):
            return None
