"""Import WeasyPrint without a compiler run for every library name it guesses.

WeasyPrint (text/ffi.py) loads GObject, Pango, HarfBuzz, fontconfig… by trying several names for each in turn (Linux,
macOS and Windows spellings). cffi hands every name that does not load to ctypes.util.find_library, which on Linux
reads the dynamic linker's cache (`ldconfig -p`) and, when the name is not there, runs gcc and then ld to search
for it: about 13 ms per miss on a machine with a compiler, some 16 misses per import — a quarter of a second of
every worker's start and of every command that renders a document. While WeasyPrint is imported, find_library
answers from the linker's cache alone. Nothing is lost on Linux: among the names WeasyPrint tries is each library's
soname (libpango-1.0.so.0, …), which the dynamic loader opens directly, cache or not.
"""
import contextlib
import ctypes.util
import sys


@contextlib.contextmanager
def linker_cache_lookup():
    """ctypes.util.find_library limited to the dynamic linker's cache, inside the block (Linux; elsewhere as is)."""
    from_cache = getattr(ctypes.util, "_findSoname_ldconfig", None)
    if from_cache is None or not sys.platform.startswith("linux"):
        yield
        return
    original = ctypes.util.find_library
    ctypes.util.find_library = from_cache
    try:
        yield
    finally:
        ctypes.util.find_library = original


def import_weasyprint():
    """Import weasyprint (once per process) with the quick library lookup."""
    with linker_cache_lookup():
        import weasyprint
    return weasyprint
