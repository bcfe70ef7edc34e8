"""A demo city for trying the product: two districts, every role, about thirty enterprises.

All names, codes and people are fictitious. Region codes 37990x are not real administrative codes.
"""
import random

from ..domain.credit_codes import ALPHABET, check_character
from ..domain.regions import add_agency, add_region
from ..models import Enterprise, Team
from ..models.sync_state import allocate_changes, ensure_sync_state
from ..domain.accounts import create_user
from .enterprises import DEMO_ENTERPRISES

DEMO_PASSWORD = "Demo@2026"

ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 organisation code weights


def organisation_code(rng):
    """Nine characters: eight digits and the GB 11714 check character."""
    body = "".join(rng.choice("0123456789") for _ in range(8))
    remainder = 11 - sum(int(c) * w for c, w in zip(body, ORG_WEIGHTS)) % 11
    return body + {10: "X", 11: "0"}.get(remainder, str(remainder))


def demo_credit_code(rng, region_code):
    """A valid-looking 统一社会信用代码: 9 (market regulator) 1 (enterprise) + region + org code + check."""
    first17 = "91" + region_code + organisation_code(rng)
    assert all(ch in ALPHABET for ch in first17)
    return first17 + check_character(first17)


def _user(session, hasher, username, name, agency, roles, team=None, cert=None):
    return create_user(session, hasher, username=username, password=DEMO_PASSWORD, display_name=name,
                       agency_id=agency.id, roles=roles, team_id=team.id if team else None, enforcement_cert_no=cert)


def _district_staff(session, hasher, prefix, district, cdc, supervision, people):
    sampling_team = Team(agency_id=cdc.id, name="采样一组")
    enforcement_team = Team(agency_id=supervision.id, name="执法一组")
    session.add_all([sampling_team, enforcement_team])
    session.flush()
    cert = f"{district.code[-2:]}0" + "{:04d}"
    return [
        _user(session, hasher, f"{prefix}_sampler", people[0], cdc, ["sampler"], sampling_team),
        _user(session, hasher, f"{prefix}_sampler2", people[1], cdc, ["sampler"], sampling_team),
        _user(session, hasher, f"{prefix}_inspector", people[2], supervision, ["inspector"], enforcement_team,
              cert.format(1)),
        _user(session, hasher, f"{prefix}_inspector2", people[3], supervision, ["inspector"], enforcement_team,
              cert.format(2)),
        _user(session, hasher, f"{prefix}_assistant", people[4], cdc, ["assistant"]),
        _user(session, hasher, f"{prefix}_followup", people[5], cdc, ["followup"]),
        _user(session, hasher, f"{prefix}_supervisor", people[6], supervision, ["supervisor"]),
        # The CDC's 科长 reviews the CDC's sampling, assistance and follow-up work; the 执法大队's reviewer inspections.
        _user(session, hasher, f"{prefix}_cdc_supervisor", people[7], cdc, ["supervisor"]),
    ]


def seed_demo(session, hasher, seed=2026):
    """Create the demo city and return the users created."""
    ensure_sync_state(session)
    rng = random.Random(seed)
    province = add_region(session, code="370000", name="山东省", short_name="鲁", level="province")
    city = add_region(session, code="379900", name="青川市", short_name="青川", level="city", parent=province)
    east = add_region(session, code="379901", name="临河区", short_name="临", level="district", parent=city)
    west = add_region(session, code="379902", name="东港区", short_name="东港", level="district", parent=city)
    commission = add_agency(session, name="青川市卫生健康委员会", kind="commission", region=city,
                            phone="0533-1234000", address="青川市人民路1号")
    city_cdc = add_agency(session, name="青川市疾病预防控制中心", kind="cdc", region=city, parent=commission)
    agencies = {}
    for district, prefix in ((east, "lh"), (west, "dg")):
        agencies[prefix] = (
            add_agency(session, name=f"{district.name}疾病预防控制中心", kind="cdc", region=district, parent=city_cdc,
                       phone="0533-71" + district.code[-2:] + "000", address=f"青川市{district.name}健康路8号"),
            add_agency(session, name=f"{district.name}卫生健康综合监督执法大队", kind="supervision", region=district,
                       parent=commission, phone="0533-72" + district.code[-2:] + "000",
                       address=f"青川市{district.name}政务中心3楼"),
        )
    users = [
        _user(session, hasher, "admin", "系统管理员", commission, ["admin"]),
        _user(session, hasher, "city_supervisor", "周审核", commission, ["supervisor"]),
    ]
    users += _district_staff(session, hasher, "lh", east, *agencies["lh"],
                             ["王海燕", "李明", "张建国", "刘洋", "陈静", "赵丽", "孙伟", "马骏"])
    users += _district_staff(session, hasher, "dg", west, *agencies["dg"],
                             ["杨帆", "黄磊", "吴敏", "郑强", "冯雪", "何军", "高峰", "罗兰"])
    # A second administrator, so a change to reference data proposed by one can be verified by the other (four
    # eyes). Created last: the other demo users keep their ids.
    users.insert(1, _user(session, hasher, "admin_verify", "复核管理员", commission, ["admin"]))
    # Each district CDC's laboratory receives the samples by their label codes and enters the results.
    users += [_user(session, hasher, "lh_lab", "韩雪梅", agencies["lh"][0], ["laboratory"]),
              _user(session, hasher, "dg_lab", "曹志远", agencies["dg"][0], ["laboratory"])]
    _enterprises(session, rng, {"临河区": east, "东港区": west})
    session.flush()
    return users


def _enterprises(session, rng, districts):
    first = allocate_changes(session, len(DEMO_ENTERPRISES))
    for offset, spec in enumerate(DEMO_ENTERPRISES):
        district = districts[spec["district"]]
        fields = {k: v for k, v in spec.items() if k != "district"}
        enterprise = Enterprise(credit_code=demo_credit_code(rng, district.code), region_id=district.id, **fields)
        enterprise.change_no = first + offset
        enterprise.field_versions = {k: enterprise.change_no for k in [*fields, "credit_code", "region_id"]}
        session.add(enterprise)
