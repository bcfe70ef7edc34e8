"""The field app on one browser context, driven the way a field worker uses it: tap, type, photograph, sign."""
import base64
import io
import random
import time

from PIL import Image, ImageDraw
from playwright.sync_api import expect

from server.demo.seed import DEMO_PASSWORD

TIMEOUT = 20_000


# The sizes a screen must fit: a desk, a portrait tablet, a phone.
VIEWPORTS = {"desk": {"width": 1280, "height": 800}, "portrait": {"width": 800, "height": 1280},
             "phone": {"width": 390, "height": 844}}


def camera_jpeg(width=2400, height=1800, seed=7):
    """A photo as a tablet camera makes it: large, JPEG, with an EXIF orientation tag (rotated 90°)."""
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height), (90, 120, 150))
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y = rng.randrange(width), rng.randrange(height)
        draw.rectangle([x, y, x + rng.randrange(50, 400), y + rng.randrange(50, 300)],
                       fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was held upright: the viewer must rotate by 90°
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def grainy_jpeg(width=2400, height=1800):
    """A photo full of fine detail (concrete, dust on a filter): large even after the tablet's compression."""
    grain = Image.merge("RGB", [Image.effect_noise((width, height), 80) for _ in range(3)])
    out = io.BytesIO()
    grain.save(out, "JPEG", quality=92)
    return out.getvalue()



def wait_until(page, expression, arg=None, timeout=None):
    """Poll an expression until it is truthy. Unlike page.wait_for_function this evaluates over DevTools,
    which the app's Content-Security-Policy (no eval) does not block."""
    source = expression.strip()
    if not (source.startswith("(") or source.startswith("function")):
        source = f"() => ({source})"
    deadline = time.monotonic() + (timeout or TIMEOUT) / 1000
    while True:
        if page.evaluate(source, arg) if arg is not None else page.evaluate(source):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {expression.strip()[:120]}")
        page.wait_for_timeout(50)

class FieldTablet:
    """One tablet (a browser context) with the app open."""

    def __init__(self, context, server):
        self.context = context
        self.server = server
        if not getattr(context, "business_clock_installed", False):
            # The tablet's clock shows the server's business time (both run on from the same instant), so "today",
            # the year of a number and the default dates agree whatever the host's date is.
            context.clock.install(time=server.clock.now())
            context.business_clock_installed = True
        self.page = context.new_page()
        self.errors = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.set_default_timeout(TIMEOUT)

    # ---- session and sync -------------------------------------------------------------------------------
    def open(self, hash_=""):
        self.page.goto(f"{self.server.url}/{hash_}")
        return self

    def login(self, username, password=DEMO_PASSWORD):
        self.open()
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        self.page.click("button[type=submit]")
        self.page.wait_for_selector("html[data-ready=home]")
        self.wait_synced()
        wait_until(self.page, "navigator.serviceWorker.controller !== null")
        return self

    def wait_home(self):
        self.page.wait_for_selector("html[data-ready=home]")

    def start_visit_offline(self, context, enterprise_query):
        """Lose the signal, cold-start the app from its service worker and open a new sampling visit at the
        enterprise found by `enterprise_query`; returns the visit's id."""
        context.set_offline(True)
        self.page.reload()
        self.wait_home()
        wait_until(self.page, "document.querySelector('[data-testid=sync-state]').textContent.includes('离线')")
        self.page.click("[data-flow=sampling]")
        self.page.fill("[data-testid=enterprise-search]", enterprise_query)
        self.page.locator("[data-enterprise]").first.click()
        self.page.wait_for_selector("[data-field=task_no]")
        return self.page.evaluate("location.hash.split('/')[2]")

    def sync(self):
        """Tap the sync button and wait until nothing is waiting any more."""
        self.page.evaluate("import('/static/js/db.js').then((db) => db.idle())")  # the last tap's save is in
        self.page.wait_for_selector("[data-testid=sync-button]:not([disabled])")
        self.page.click("[data-testid=sync-button]")
        self.wait_synced()

    def wait_synced(self, timeout=TIMEOUT):
        wait_until(self.page, 
            """() => {
                const bar = document.querySelector('[data-testid=sync-bar]');
                return bar && bar.dataset.phase === 'idle' && bar.dataset.online === 'true'
                    && document.documentElement.dataset.stale !== '1'
                    && document.querySelector('[data-testid=sync-waiting]').textContent.endsWith(' 0')
                    && document.querySelector('[data-testid=sync-photos]').textContent.endsWith(' 0');
            }""", timeout=timeout)

    def sync_text(self):
        return self.page.inner_text("[data-testid=sync-bar]")

    def waiting(self):
        return self.page.inner_text("[data-testid=sync-waiting]")

    def go(self, hash_):
        self.page.evaluate("(h) => { location.hash = h; }", hash_)
        wait_until(self.page, "(h) => document.documentElement.dataset.route === h", arg=hash_)

    def settle(self):
        """Wait until the screen shown is painted as a person sees it: every image loaded (thumbnails, photos from
        the server) and a frame drawn after the last layout change (a new viewport, a scroll)."""
        wait_until(self.page, "[...document.images].every((img) => img.complete)")
        self.page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")

    def shots(self, folder, name, sizes):
        """Screenshots of the screen shown at each viewport of `sizes` ({label: {width, height}}), saved as
        <name>-<label>.png in `folder`; returns the layout problems found at each (none: {})."""
        from .test_screens import LAYOUT_PROBLEMS  # the screens' own test defines what a layout problem is
        problems = {}
        for size, viewport in sizes.items():
            self.page.set_viewport_size(viewport)
            self.page.evaluate("window.scrollTo(0, 0)")
            self.settle()
            self.page.screenshot(path=str(folder / f"{name}-{size}.png"), full_page=True)
            found = self.page.evaluate(LAYOUT_PROBLEMS)
            if found:
                problems[f"{name}@{size}"] = found
        self.page.set_viewport_size(next(iter(sizes.values())))
        return problems

    # ---- filling forms ----------------------------------------------------------------------------------
    def field(self, field_id):
        return self.page.locator(f'[data-field="{field_id}"]').first

    def fill(self, field_id, value):
        box = self.field(field_id).locator("input, textarea").first
        box.fill(str(value))
        box.press("Tab")

    def choose(self, field_id, value):
        field = self.field(field_id)
        if field.locator("select").count():
            field.locator("select").select_option(value)
        else:
            field.locator(f'button[data-value="{value}"]').click()

    def toggle(self, field_id, value):
        self.field(field_id).locator(f'button[data-value="{value}"]').click()

    def pick(self, field_id, query, value):
        field = self.field(field_id)
        field.locator("input[type=search]").fill(query)
        field.locator(f'.ref-option[data-value="{value}"]').click()

    def set_datetime(self, field_id, date, time):
        inputs = self.field(field_id).locator("input")
        inputs.nth(0).fill(date)
        inputs.nth(1).fill(time)
        inputs.nth(1).press("Tab")

    def computed(self, field_id, expected):
        """Wait until a computed field shows `expected` (it follows the inputs as they are typed)."""
        expect(self.field(field_id).locator("output")).to_have_text(expected)
        return True

    def message(self, field_id):
        return self.field(field_id).locator(".field-msg").inner_text()

    def photograph(self, field_id, jpeg):
        field = self.field(field_id)
        before = field.locator(".thumb").count()
        field.locator("input[type=file]").set_input_files(
            files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": jpeg}])
        wait_until(self.page, 
            "([id, n]) => document.querySelectorAll(`[data-field='${id}'] .thumb`).length > n", arg=[field_id, before])

    def sign(self, field_id):
        """The escort signs on the pad with a finger."""
        self.field(field_id).locator("button").click()
        canvas = self.page.locator("[data-testid=signature-canvas][data-ready]")  # the pad takes strokes
        canvas.wait_for()
        box = canvas.bounding_box()
        mouse = self.page.mouse
        for stroke in ([(0.1, 0.6), (0.2, 0.3), (0.3, 0.7), (0.4, 0.35)], [(0.5, 0.5), (0.6, 0.3), (0.75, 0.65), (0.9, 0.4)]):
            mouse.move(box["x"] + stroke[0][0] * box["width"], box["y"] + stroke[0][1] * box["height"])
            mouse.down()
            for x, y in stroke[1:]:
                mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"], steps=8)
            mouse.up()
        self.page.click("[data-testid=signature-done]:not([disabled])")
        self.field(field_id).locator(".thumb").wait_for()

    # ---- reading local state ------------------------------------------------------------------------------
    def stored_photos(self):
        """Photos in the tablet's IndexedDB as {sha256: base64 bytes} (read before they are uploaded)."""
        found = self.page.evaluate("""async () => {
            const db = await import('/static/js/db.js');
            const out = {};
            for (const p of await db.unsyncedData().then((d) => d.photos)) out[p.sha256] = p.base64;
            return out;
        }""")
        return {sha: base64.b64decode(data) for sha, data in found.items()}
