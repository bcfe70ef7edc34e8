"""Sample labels: each carries a QR of {"s": sample code, "r": record id} and the code in large type."""
from .contexts import ContextError
from .formatting import date_zh
from .qr import label_payload, qr_data_uri

LABEL_KEYS = ("sample_code", "record_id", "hazard_zh", "enterprise_name", "sampling_date", "sample_type_zh")


def _label(label, index):
    for key in LABEL_KEYS:
        if key not in label:
            raise ContextError(f"labels[{index}].{key}")
    for key in ("sample_code", "record_id"):
        if not str(label[key]).strip():
            raise ContextError(f"labels[{index}].{key}", "不能为空", "must be non-empty text")
    # A two-module quiet zone: the label's own white margin completes it, and the modules stay larger.
    payload = label_payload(label["sample_code"], label["record_id"])
    return {**label, "qr": qr_data_uri(payload, box_size=6, border=2),
            "sampling_date_zh": date_zh(label["sampling_date"])}


def label_pages(labels, per_page):
    """Checked labels with their QR images, grouped per printed page; ValueError naming a missing key."""
    if not labels:
        raise ValueError("没有要打印的标签（no labels to print）")
    checked = [_label(label, index) for index, label in enumerate(labels)]
    return [checked[start:start + per_page] for start in range(0, len(checked), per_page)]
