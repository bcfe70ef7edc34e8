"""Fictitious enterprises across the industries the district work plans name."""
import datetime as dt

_SCHEME = "class_pilot_2023"  # 2023 分类监督执法试点: 甲 = lowest risk, 丙 = highest


def _e(district, name, industry_code, industry_name, size, workers, exposed, hazards, klass, contact, lat, lng,
       street):
    return {"district": district, "name": name, "industry_code": industry_code, "industry_name": industry_name,
            "size": size, "workers_total": workers, "workers_exposed": exposed, "declared_hazards": hazards,
            "hazard_class": klass, "hazard_class_scheme": _SCHEME if klass else None,
            "hazard_class_assessed_on": dt.date(2025, 3, 15) if klass else None,
            "contact_name": contact[0], "contact_phone": contact[1], "legal_representative": contact[2],
            "latitude": lat, "longitude": lng, "address": f"青川市{district}{street}"}


DEMO_ENTERPRISES = [
    # 化工 chemical
    _e("临河区", "青川鑫源化工有限公司", "2614", "有机化学原料制造", "medium", 260, 118,
       ["benzene", "toluene", "xylene", "noise"], "丙", ("马晓东", "13905331001", "马国华"), 36.812, 118.301, "化工园区纬一路6号"),
    _e("临河区", "临河润泽精细化学品有限公司", "2662", "专项化学用品制造", "small", 85, 40,
       ["toluene", "ethyl_acetate", "methanol"], "乙", ("刘珊", "13905331002", "刘建华"), 36.815, 118.296, "化工园区经二路18号"),
    _e("东港区", "东港宏泰化学工业有限公司", "2619", "其他基础化学原料制造", "large", 640, 210,
       ["sulfuric_acid", "hydrogen_chloride", "ammonia", "noise"], "丙", ("韩刚", "13905332001", "韩志远"), 36.781, 118.352, "滨海化工区3号"),
    _e("东港区", "青川瑞达涂料有限公司", "2641", "涂料制造", "small", 48, 30,
       ["xylene", "butyl_acetate", "ethylbenzene"], "乙", ("袁芳", "13905332002", "袁永生"), 36.776, 118.360, "滨海化工区12号"),
    # 采矿 mining
    _e("临河区", "青川金岭矿业有限公司", "0810", "铁矿采选", "medium", 320, 190,
       ["silica_dust", "noise", "hand_arm_vibration"], "丙", ("石磊", "13905331003", "石振山"), 36.701, 118.255, "金岭镇矿区路1号"),
    _e("东港区", "东港石门石灰石矿", "1011", "石灰石、石膏开采", "small", 60, 45,
       ["limestone_dust", "noise"], "乙", ("邵军", "13905332003", "邵长海"), 36.742, 118.401, "石门村北"),
    # 建材 building materials
    _e("临河区", "青川鲁峰水泥有限公司", "3011", "水泥制造", "large", 480, 260,
       ["cement_dust", "silica_dust", "noise", "high_temperature"], "丙", ("孔祥", "13905331004", "孔令军"), 36.760, 118.280, "工业大道88号"),
    _e("临河区", "临河华美陶瓷有限公司", "3071", "建筑陶瓷制品制造", "medium", 210, 150,
       ["silica_dust", "noise", "high_temperature"], "丙", ("吕红", "13905331005", "吕卫国"), 36.771, 118.292, "陶瓷产业园6号"),
    _e("东港区", "东港恒固新型建材有限公司", "3021", "水泥制品制造", "small", 42, 28,
       ["cement_dust", "noise"], "乙", ("姜涛", "13905332004", "姜德胜"), 36.750, 118.370, "建材路21号"),
    _e("东港区", "青川晶石玻璃纤维有限公司", "3061", "玻璃纤维及制品制造", "medium", 180, 95,
       ["man_made_mineral_fibre", "noise", "formaldehyde"], "乙", ("宋佳", "13905332005", "宋金龙"), 36.758, 118.388, "建材路55号"),
    # 电镀 electroplating
    _e("临河区", "临河亮光电镀有限公司", "3360", "金属表面处理及热处理加工", "small", 36, 24,
       ["nickel", "chromium_vi", "sulfuric_acid", "hydrogen_cyanide"], "丙", ("魏东", "13905331006", "魏长江"), 36.790, 118.310, "五金工业园9号"),
    _e("东港区", "东港精工表面处理厂", "3360", "金属表面处理及热处理加工", "micro", 15, 11,
       ["nickel", "hydrogen_chloride", "sodium_hydroxide"], "乙", ("彭丽", "13905332006", "彭海"), 36.765, 118.342, "港城路102号"),
    _e("东港区", "青川永兴镀锌有限公司", "3360", "金属表面处理及热处理加工", "small", 52, 33,
       ["hydrogen_chloride", "ammonia", "noise"], "乙", ("潘勇", "13905332007", "潘世杰"), 36.769, 118.348, "港城路140号"),
    # 印刷 printing
    _e("临河区", "临河彩虹印务有限公司", "2319", "包装装潢及其他印刷", "small", 70, 38,
       ["toluene", "ethyl_acetate", "isopropanol", "noise"], "乙", ("田野", "13905331007", "田建民"), 36.802, 118.320, "文化路16号"),
    _e("东港区", "东港文华包装印刷厂", "2319", "包装装潢及其他印刷", "micro", 18, 12,
       ["toluene", "butyl_acetate"], "甲", ("董敏", "13905332008", "董文华"), 36.748, 118.335, "港城路66号"),
    _e("临河区", "青川新闻印刷有限公司", "2311", "书、报刊印刷", "medium", 150, 60,
       ["isopropanol", "noise"], "甲", ("蒋红梅", "13905331008", "蒋涛"), 36.808, 118.315, "文化路2号"),
    # 家具 furniture
    _e("临河区", "临河美居家具有限公司", "2110", "木质家具制造", "medium", 230, 140,
       ["hardwood_dust", "benzene", "toluene", "xylene", "noise"], "丙", ("蔡琳", "13905331009", "蔡国强"), 36.780, 118.270, "家居产业园1号"),
    _e("东港区", "东港匠心木业有限公司", "2110", "木质家具制造", "small", 66, 50,
       ["hardwood_dust", "xylene", "noise"], "乙", ("贾磊", "13905332009", "贾正义"), 36.735, 118.380, "木业路7号"),
    _e("东港区", "青川舒适软体家具厂", "2190", "其他家具制造", "micro", 22, 16,
       ["dichloromethane", "toluene", "noise"], "乙", ("夏雨", "13905332010", "夏明"), 36.738, 118.384, "木业路19号"),
    # 汽车制造 auto manufacturing
    _e("临河区", "青川重汽零部件有限公司", "3670", "汽车零部件及配件制造", "large", 900, 420,
       ["welding_fume", "manganese", "noise", "xylene"], "丙", ("卢斌", "13905331010", "卢振华"), 36.795, 118.340, "汽车产业园1号"),
    _e("东港区", "东港驰远汽车部件有限公司", "3670", "汽车零部件及配件制造", "medium", 310, 160,
       ["welding_fume", "noise", "ethyl_acetate"], "乙", ("任杰", "13905332011", "任国庆"), 36.760, 118.410, "开发区汽配路3号"),
    _e("临河区", "临河星途改装车有限公司", "3660", "汽车车身、挂车制造", "medium", 190, 110,
       ["welding_fume", "benzene", "toluene", "noise"], "丙", ("方圆", "13905331011", "方德明"), 36.798, 118.346, "汽车产业园16号"),
    # 制鞋 shoe making
    _e("临河区", "临河步步高鞋业有限公司", "1952", "皮鞋制造", "small", 120, 85,
       ["benzene", "n_hexane", "toluene", "dichloroethane_1_2"], "丙", ("于静", "13905331012", "于海波"), 36.786, 118.262, "轻工园3号"),
    _e("东港区", "东港健足鞋材厂", "1959", "其他制鞋业", "micro", 28, 22,
       ["n_hexane", "toluene", "noise"], "乙", ("曲波", "13905332012", "曲长林"), 36.731, 118.392, "轻工路12号"),
    # others in the registry
    _e("临河区", "临河通达机械制造有限公司", "3411", "锅炉及辅助设备制造", "medium", 260, 120,
       ["welding_fume", "noise", "manganese"], "乙", ("钱进", "13905331013", "钱学军"), 36.775, 118.322, "机械园8号"),
    _e("临河区", "青川洪基铸造有限公司", "3391", "黑色金属铸造", "small", 95, 70,
       ["silica_dust", "noise", "carbon_monoxide", "high_temperature"], "丙", ("曹亮", "13905331014", "曹洪基"), 36.768, 118.330, "机械园20号"),
    _e("东港区", "东港海润食品有限公司", "1391", "谷物磨制", "small", 75, 20,
       ["other_dust", "noise"], "甲", ("汪琪", "13905332013", "汪海润"), 36.744, 118.350, "食品园2号"),
    _e("东港区", "青川蓝海纺织有限公司", "1711", "棉纺纱加工", "medium", 340, 200,
       ["hemp_dust", "noise"], "乙", ("尹红", "13905332014", "尹建设"), 36.752, 118.396, "纺织路9号"),
    _e("临河区", "临河绿源塑料制品厂", "2927", "日用塑料制品制造", "micro", 20, 14,
       ["styrene", "noise"], None, ("龚平", "13905331015", "龚平"), 36.810, 118.288, "轻工园15号"),
    _e("东港区", "东港精密电子有限公司", "3982", "电子电路制造", "medium", 280, 90,
       ["formaldehyde", "sulfuric_acid", "isopropanol"], None, ("丁宁", "13905332015", "丁俊"), 36.763, 118.404, "电子园4号"),
]
