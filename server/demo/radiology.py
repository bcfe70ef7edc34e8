"""Demo 放射诊疗机构 ledger of a district: four licensed institutions and their devices, kept by the district's
inspector, so the ledger opens with each state in it — a hospital with a device whose stability test is overdue,
one where every test is in its cycle, a community health centre whose DR falls due within the month, and a maternal
and child hospital linked to the enterprise registry and inspected this month (it counts towards the coverage).

Like the rest of the demo work (work.py), the files are pushed from the inspector's tablet, the hospital is entered
in the registry by the district's supervisor through the registry's own command, and its inspection is recorded,
signed and handed in from the tablet. Test dates are relative to today, so the states hold whatever the day.
"""
from ..domain.credit_codes import check_character
from ..domain.enterprises import create_enterprise
from ..models import Region


def _credit_code(region_code, serial):
    """A valid 统一社会信用代码 of a public institution (12: 机构编制, 事业单位) of the district."""
    first17 = f"12{region_code}{serial:08d}0"
    return first17 + check_character(first17)


def _licence(short, year, number):
    return f"{short}卫放证字〔{year}〕第{number:03d}号"


def _device(name, kind, model, serial, installed, status_days, stability_days, office):
    return {"device_name": name, "device_type": kind, "model": model, "serial_no": serial, "installed_on": installed,
            "device_status": "in_use", "last_status_test_on": office.day(status_days),
            "last_stability_test_on": office.day(stability_days)}


def seed_radiology(work):
    """Schedule the district's radiology ledger on the demo timeline (call from DistrictWork.schedule())."""
    office, d, at = work.office, work.d, work.timeline.at
    supervisor = office.actor(f"{d.prefix}_supervisor")
    region = office.session.get(Region, supervisor.region_id)
    district, short, year = region.name, region.short_name, office.today.year - 2
    tablet = work.tablet("inspector")
    hospital = f"{district}妇幼保健院"
    # Inspected this month: a day of the current month (today on its first day).
    inspected_days = min(3, office.today.day - 1)

    @at(60, "09:10")
    def files(when):
        overdue = tablet.create("radiology_institution", {
            "institution_name": f"{district}人民医院", "hospital_level": "level_2", "issuing_level": "municipal",
            "licence_no": _licence(short, year, 1), "issued_on": f"{year}-03-18", "valid_until": f"{year + 5}-03-17",
            "licensed_categories": ["xray_diagnosis", "interventional"], "radiation_workers": 31,
            "credit_code": _credit_code(region.code, 1), "contact_name": "周建国", "contact_phone": "0533 7100120"})
        # DR: stability test four months ago on a three-month cycle (overdue about a month); CT tested last week.
        tablet.create("radiology_device", _device("数字化X射线摄影系统（DR）", "dr", "uDR 596i", "DR-1906-0412",
                                                  "2019-06-20", 200, 125, office), parent=overdue)
        tablet.create("radiology_device", _device("64排螺旋CT", "ct", "Optima CT660", "CT-2011-0833", "2020-11-05",
                                                  150, 6, office), parent=overdue)
        tablet.create("radiology_device", _device("数字减影血管造影机（DSA）", "dsa", "Artis zee", "DSA-2107-0051",
                                                  "2021-07-12", 90, 40, office), parent=overdue)
        fine = tablet.create("radiology_institution", {
            "institution_name": f"{district}中医医院", "hospital_level": "level_2", "issuing_level": "county",
            "licence_no": _licence(short, year, 2), "issued_on": f"{year}-05-09", "valid_until": f"{year + 5}-05-08",
            "licensed_categories": ["xray_diagnosis"], "radiation_workers": 12,
            "credit_code": _credit_code(region.code, 2), "contact_name": "王晓梅", "contact_phone": "0533 7100230"})
        tablet.create("radiology_device", _device("数字化X射线摄影系统（DR）", "dr", "DigitalDiagnost C50",
                                                  "DR-2003-1187", "2020-03-02", 120, 20, office), parent=fine)
        soon = tablet.create("radiology_institution", {
            "institution_name": f"{district}城东社区卫生服务中心", "hospital_level": "level_1",
            "issuing_level": "county", "licence_no": _licence(short, year + 1, 11), "issued_on": f"{year + 1}-08-21",
            "valid_until": f"{year + 6}-08-20", "licensed_categories": ["xray_diagnosis"], "radiation_workers": 4,
            "contact_name": "李红", "contact_phone": "0533 7100451"})
        # DR: stability test 75 days ago on a three-month cycle: due in about two weeks.
        tablet.create("radiology_device", _device("数字化X射线摄影系统（DR）", "dr", "DR-F 3000", "DR-2208-0032",
                                                  "2022-08-30", 100, 75, office), parent=soon)
        tablet.create("radiology_device", _device("口腔全景X射线机", "dental", "Orthophos XG", "DEN-1805-2290",
                                                  "2018-05-16", 100, 30, office), parent=soon)
        tablet.push(when)

    @at(30, "14:20")
    def register_hospital(when):
        create_enterprise(office.session, supervisor, {
            "credit_code": _credit_code(region.code, 3), "name": hospital, "region_id": region.id,
            "industry_code": "8412", "industry_name": "妇幼保健院（所、站）", "size": "medium", "workers_total": 420,
            "workers_exposed": 9, "contact_name": "陈静", "contact_phone": "0533 7100388",
            "legal_representative": "陈志刚", "address": f"青川市{district}健康路16号"}, today=when.date())
        office.session.commit()

    @at(30, "15:00")
    def linked_file(when):
        enterprise = office.enterprise(hospital)
        linked = tablet.create("radiology_institution", {
            "institution_name": hospital, "enterprise_id": enterprise.id, "credit_code": enterprise.credit_code,
            "hospital_level": "level_2", "issuing_level": "municipal", "licence_no": _licence(short, year, 5),
            "issued_on": f"{year}-06-30", "valid_until": f"{year + 5}-06-29",
            "licensed_categories": ["xray_diagnosis"], "radiation_workers": 9, "contact_name": "陈静",
            "contact_phone": "0533 7100388"})
        tablet.create("radiology_device", _device("乳腺X射线摄影系统", "mammography", "Senographe Pristina",
                                                  "MAM-2104-0077", "2021-04-22", 80, 12, office), parent=linked)
        tablet.create("radiology_device", _device("数字化X射线摄影系统（DR）", "dr", "uDR 780i", "DR-2104-0101",
                                                  "2021-04-22", 80, 45, office), parent=linked)
        tablet.push(when)

    @at(inspected_days, "10:30")
    def inspect(when):
        inspection, _ids, _enterprise = work._inspection(
            tablet, hospital, inspected_days,
            conform=("org_management", "hazard_declaration", "periodic_testing", "warning_signs", "training"))
        tablet.submit(inspection)
        tablet.push(when)
