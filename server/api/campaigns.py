"""职业病危害专项治理 campaigns (domain/campaigns.py): a campaign's screen with its enterprises' states and the six
rates, enrolment from the registry, and the confirmation of an enterprise's treatment."""
from flask import current_app
from flask_smorest import Blueprint

from ..domain.campaigns import campaign_detail
from ..extensions import db
from ..sync import campaign_writes
from .access import authenticated, current_actor, current_clock
from .schemas.campaigns import CampaignSchema, EnrolResultSchema, EnrolSchema
from .schemas.enterprises import ImportConfirmArgsSchema, ImportFileSchema
from .schemas.registers import RegisterImportSchema
from .uploads import uploaded_file

blp = Blueprint("campaigns", __name__, url_prefix="/api/campaigns", description="专项治理 Governance campaigns")


@blp.route("/<campaign_id>", methods=["GET"])
@authenticated("campaign.read")
@blp.response(200, CampaignSchema)
def campaign(campaign_id):
    """The campaign: counts by state (归零 at the deadline), the six rates against their targets, and each enrolled
    enterprise with its state and evidence, most urgent first."""
    return campaign_detail(db.session, current_actor(), campaign_id, current_clock().today())


@blp.route("/<campaign_id>/enrol", methods=["POST"])
@authenticated("campaign.manage")
@blp.arguments(EnrolSchema)
@blp.response(200, EnrolResultSchema)
def enrol(body, campaign_id):
    """Enrol enterprises: the district's registry by the campaign's industry codes, or those chosen."""
    result = campaign_writes.enrol(db.session, current_actor(), current_app.extensions["forms"], current_clock(),
                                   campaign_id, by_industry=body["by_industry"], enterprise_ids=body["enterprise_ids"])
    db.session.commit()
    return result


@blp.route("/<campaign_id>/enrolments/<enrolment_id>/confirm", methods=["POST"])
@authenticated("campaign.manage")
@blp.response(200, CampaignSchema)
def confirm(campaign_id, enrolment_id):
    """行政治理效果确认 of one enrolled enterprise (409 unless its evidence is complete); the campaign as it is now."""
    campaign_writes.confirm(db.session, current_actor(), current_app.extensions["forms"], current_clock(),
                            campaign_id, enrolment_id)
    db.session.commit()
    return campaign_detail(db.session, current_actor(), campaign_id, current_clock().today())


@blp.route("/<campaign_id>/enrol/preview", methods=["POST"])
@authenticated("campaign.manage")
@blp.arguments(ImportFileSchema, location="files")
@blp.response(200, RegisterImportSchema)
def preview_list(files, campaign_id):
    """What enrolling the enterprises listed in an XLSX or CSV (统一社会信用代码, 单位名称) would do, row by row (纳入,
    已纳入); a code not in the district's registry: 422 listing every such row. Writes nothing."""
    return campaign_writes.preview_list(db.session, current_actor(), campaign_id, *uploaded_file(files),
                                        max_rows=current_app.config["IMPORT_MAX_ROWS"])


@blp.route("/<campaign_id>/enrol/list", methods=["POST"])
@authenticated("campaign.manage")
@blp.arguments(ImportConfirmArgsSchema, location="query")
@blp.arguments(ImportFileSchema, location="files")
@blp.response(200, RegisterImportSchema)
def enrol_list(args, files, campaign_id):
    """Enrol the previewed list with the preview's digest; 409 when the file or the campaign changed since."""
    report = campaign_writes.enrol_list(db.session, current_actor(), current_app.extensions["forms"], current_clock(),
                                        campaign_id, *uploaded_file(files), args["digest"],
                                        max_rows=current_app.config["IMPORT_MAX_ROWS"])
    db.session.commit()
    return report
