"""The office in a browser — a supervisor or an admin at a desk (1280×800) — and what the field hands over to it:
records pushed from the field's tablets through the sync protocol, photos uploaded the way a tablet does."""
import io
import json
from pathlib import Path

from PIL import Image

from tests.support import enterprise_in, upload_blob
from tests.sync.tablets import Tablet, sample_fields, visit_fields

from .tablet import FieldTablet, camera_jpeg
from .test_screens import LAYOUT_PROBLEMS

DESK = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
FORMS = Path(__file__).resolve().parents[2] / "forms"


def at_desk(context, live_server, username="lh_supervisor"):
    """The office app open and synced for `username`."""
    return FieldTablet(context, live_server).login(username)


def shoot(desk, folder, name, phone=False):
    """Screenshots of the screen shown, at 1280×800 (and 390×844); the layout problems found at each size."""
    problems = {}
    sizes = {"desk": DESK, **({"phone": PHONE} if phone else {})}
    for size, viewport in sizes.items():
        desk.page.set_viewport_size(viewport)
        desk.page.evaluate("window.scrollTo(0, 0)")  # a full-page shot of a scrolled page repeats the sticky bar
        desk.settle()
        desk.page.screenshot(path=str(folder / f"office-{name}-{size}.png"), full_page=True)
        found = desk.page.evaluate(LAYOUT_PROBLEMS)
        if found:
            problems[f"{name}@{size}"] = found
    desk.page.set_viewport_size(DESK)
    return problems




def signature_png():
    image = Image.new("RGB", (480, 200), "white")
    image.paste((20, 20, 20), (40, 120, 440, 126))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def submitted_followup(live_server):
    """A complete follow-up of a living patient, submitted from the nurse's other tablet. Returns (tablet, id)."""
    tablet = Tablet(live_server.api("lh_followup"))
    data = json.loads((FORMS / "cases/pneumoconiosis_followup/1/followup_alive_complete_valid.json").read_text())["data"]
    record = tablet.create("followup", data)
    tablet.submit(record)
    assert tablet.push()["results"][-1]["review_status"] == "submitted"
    return tablet, record


def submitted_visit(live_server):
    """A sampling visit as a team hands it over: header, three samples with lab results (one benzene result
    over the limit), a blank, a noise measurement, the escort's signature and a photo, submitted.
    Returns (tablet, visit id, the photo's hash)."""
    caller = live_server.api("lh_sampler")
    tablet = Tablet(caller)
    with live_server.app.app_context():
        enterprise_id = enterprise_in("临河区").id
    signature = upload_blob(caller, signature_png(), "image/png")
    photo = upload_blob(caller, camera_jpeg(800, 600), "image/jpeg")
    visit = tablet.create("sampling_visit", visit_fields(enterprise_id, humidity_pct=55, method_standards=["gbz_159_2004"],
                                                          production_status="正常生产", sampler_1_name="王海燕",
                                                          sampler_2_name="李明", checker_name="赵丽", escort_name="马晓东"))
    for index, (post, value) in enumerate([("喷漆工", 1.2), ("喷漆工", 0.9), ("调漆工", 4.6)]):
        sample = tablet.create("sample", sample_fields(f"LH-2026-031-0{index + 1}", post=post, lab_concentration_mg_m3=value,
                                                       start_time=f"2026-04-08T08:0{index}:00+08:00",
                                                       end_time=f"2026-04-08T12:0{index}:00+08:00"), parent=visit)
        if index == 2:
            tablet.create("attachment", {"field": "photos", "sha256": photo, "mime": "image/jpeg", "kind": "photo"},
                          parent=sample)
    tablet.create("sample", {"sample_code": "LH-2026-031-B01", "sample_type": "blank", "hazard_key": "benzene",
                             "collector": "activated_carbon_tube"}, parent=visit)
    tablet.create("noise_measurement", {"calibrator_id": "AWA-6021", "calibration_before_db": 94.0, "calibration_after_db": 94.1,
                                        "post": "空压机操作工", "measurement_point": "空压机房", "measurement_mode": "sound_level_meter",
                                        "laeq_1_db": 88.2, "laeq_2_db": 87.9, "laeq_3_db": 88.5, "exposure_hours_per_day": 8,
                                        "days_per_week": 5}, parent=visit)
    tablet.create("attachment", {"field": "escort_signature", "sha256": signature, "mime": "image/png", "kind": "signature"},
                  parent=visit)
    tablet.submit(visit)
    body = tablet.push()
    assert {r["status"] for r in body["results"]} == {"applied"}, body
    assert body["results"][-1]["review_status"] == "submitted", body
    return tablet, visit, photo
