"""Shapes shared by several endpoints."""
from marshmallow import Schema, fields, validate

OUT_OF_RANGE = "数值超出范围 (out of range)"


class Int(fields.Integer):
    """An integer an integer column stores (ids, counts, ratios): a larger one is a field error, never a crash
    in the database driver."""

    RANGE = validate.Range(min=-(2 ** 31), max=2 ** 31 - 1, error=OUT_OF_RANGE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators.insert(0, self.RANGE)


class BigInt(Int):
    """A 64-bit integer: device sequence numbers, byte sizes and offsets."""

    RANGE = validate.Range(min=-(2 ** 63), max=2 ** 63 - 1, error=OUT_OF_RANGE)


class PageArgsSchema(Schema):
    page = Int(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = Int(load_default=20, validate=validate.Range(min=1, max=200))


def page(items, total, args):
    """The body of a paginated answer (see page_of): the items of one page, the total and where the page is."""
    return {"items": items, "total": total, "page": args["page"], "per_page": args["per_page"]}


def page_of(item_schema):
    """A {items, total, page, per_page} response schema around `item_schema`."""
    return type(f"{item_schema.__name__.removesuffix('Schema')}PageSchema", (Schema,), {
        "items": fields.List(fields.Nested(item_schema), required=True),
        "total": fields.Integer(required=True),
        "page": fields.Integer(required=True),
        "per_page": fields.Integer(required=True),
    })
