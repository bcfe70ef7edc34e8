"""Declared hazards as people write them (苯、甲苯，噪声) → hazard factor keys of the reference table, and back.

The checklist an inspector works through is derived from the keys (domain/checklists.conditions_for_factors), so
a hazard that does not resolve to a key is refused, never stored as free text: an unknown word would silently drop
the checklist items it stands for. The names come from the reference rows (admins' edits included); the aliases
below are the other words district spreadsheets use for the same factors.
"""
import re
import unicodedata

# Common words of declarations and the national system's exports for factors whose table name reads otherwise.
# An alias whose key is not in the table is ignored; one word meaning two keys is refused as ambiguous.
ALIASES = {
    "silica_dust": ("砂尘", "硅尘", "游离二氧化硅粉尘", "二氧化硅粉尘", "石英粉尘"),
    "coal_dust": ("煤尘", "煤粉尘"),
    "cement_dust": ("水泥尘", "水泥粉尘"),
    "welding_fume": ("焊接烟尘", "电焊烟", "焊烟"),
    "hardwood_dust": ("木粉尘", "木尘", "硬木粉尘"),
    "asbestos": ("石棉", "石棉尘", "石棉粉尘"),
    "aluminium_dust": ("铝粉尘", "铝粉"),
    "man_made_mineral_fibre": ("人造矿物纤维", "玻璃棉", "矿渣棉", "岩棉", "玻璃棉粉尘"),
    "noise": ("噪音", "生产性噪声", "工业噪声"),
    "high_temperature": ("高温作业", "高温热辐射"),
    "hand_arm_vibration": ("局部振动", "手臂振动"),
    "ionising_radiation": ("射线", "X射线", "放射线"),
    "sulfuric_acid": ("硫酸", "三氧化硫", "硫酸雾"),
    "hydrogen_chloride": ("氯化氢", "盐酸", "盐酸雾"),
    "hydrogen_fluoride": ("氟化氢", "氢氟酸"),
    "manganese": ("锰", "锰及其化合物", "锰尘", "锰烟"),
    "lead": ("铅", "铅尘", "铅烟", "铅及其化合物"),
    "nickel": ("镍", "镍及其化合物"),
    "chromium_vi": ("六价铬", "铬酸", "铬酸雾", "三氧化铬", "铬酸盐", "重铬酸盐", "重铬酸盐(按Cr计)"),
    "toluene_diisocyanate": ("TDI", "甲苯二异氰酸酯"),
    "hydrogen_cyanide": ("氢氰酸", "氰化氢"),
    "chlorine": ("氯气",),
    "ammonia": ("氨气", "液氨"),
    "sodium_hydroxide": ("烧碱", "火碱", "片碱"),
    "xylene": ("二甲苯",),
    "methyl_ethyl_ketone": ("甲乙酮", "丁酮", "2-丁酮"),
    "dimethylformamide": ("DMF", "N,N-二甲基甲酰胺"),
    "chloroform": ("氯仿",),
    "ethyl_acetate": ("醋酸乙酯",),
    "butyl_acetate": ("醋酸丁酯",),
    "solvent_gasoline": ("汽油",),
    "n_hexane": ("己烷",),
}
_OPEN, _CLOSE = "([{", ")]}"
# Between two names: 、 , ; / | and new lines (half- or full-width; full-width ones are folded first). A comma
# between digits belongs to a name (1,2-二氯乙烷).
_SEPARATORS = "、,;/|\n\r"


def _fold(text):
    """Full-width → half-width (，（）；２), subscripts → digits (MnO₂), no spaces, lower case: the form names meet in."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def _without_brackets(text):
    return re.sub(r"\([^)]*\)", "", text)


def hazard_lookup(hazard_factors):
    """{folded name: {keys}} from the reference rows: key, Chinese and English names, the Chinese name without
    its bracketed note (二甲苯（全部异构体） → 二甲苯), CAS numbers and the aliases."""
    lookup = {}

    def add(name, key):
        folded = _fold(name or "")
        if folded:
            lookup.setdefault(folded, set()).add(key)

    keys = set()
    for row in hazard_factors:
        key = row["key"]
        keys.add(key)
        for name in (key, row.get("name_zh"), row.get("name_en")):
            add(name, key)
        add(_without_brackets(unicodedata.normalize("NFKC", row.get("name_zh") or "")), key)
        for cas in re.split(r"[;,\s]+", row.get("cas") or ""):
            add(cas, key)
    for key, aliases in ALIASES.items():
        if key in keys:
            for alias in aliases:
                add(alias, key)
    return lookup


def split_hazards(text):
    """The names in one cell: split at 、，,；;/| and new lines outside brackets (a name's own note may list
    several words: 人造矿物纤维绝热棉粉尘（玻璃棉、矿渣棉、岩棉）)."""
    text = unicodedata.normalize("NFKC", text)
    parts, current, depth = [], "", 0
    for index, char in enumerate(text):
        depth += (char in _OPEN) - (char in _CLOSE and depth > 0)
        between_digits = (char == "," and 0 < index < len(text) - 1
                          and text[index - 1].isdigit() and text[index + 1].isdigit())
        if depth == 0 and char in _SEPARATORS and not between_digits:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [part.strip() for part in parts if part.strip()]


def resolve_hazards(value, lookup):
    """(keys in the order written, without repeats; [(name, zh reason, en reason)] for names that resolve to no
    key or to several). `value` is a cell's text or a list of names or keys; `lookup` from hazard_lookup."""
    names = split_hazards(value) if isinstance(value, str) else [str(v) for v in value or ()]
    keys, problems = [], []
    for name in names:
        found = lookup.get(_fold(name))
        if found is None and re.search(r"\s", name.strip()):
            # "苯 甲苯": spaces as separators, accepted only when every word is a known name
            words = [lookup.get(_fold(word)) for word in name.split()]
            if all(w and len(w) == 1 for w in words):
                for word in words:
                    key = next(iter(word))
                    if key not in keys:
                        keys.append(key)
                continue
        if not found:
            problems.append((name, f"危害因素“{name}”不在参考数据“职业病危害因素”表中，请使用表中的名称",
                             f"Hazard '{name}' is not a factor of the reference table hazard_factors"))
        elif len(found) > 1:
            problems.append((name, f"“{name}”可指多个危害因素，请写全称",
                             f"'{name}' names several hazard factors; write the full name"))
        elif next(iter(found)) not in keys:
            keys.append(next(iter(found)))
    return keys, problems


def hazard_names(keys, hazard_factors):
    """Keys as people read them: 苯、甲苯、噪声 (a stored word that is not a key is shown as it was stored)."""
    names = {row["key"]: row.get("name_zh") or row["key"] for row in hazard_factors}
    return "、".join(names.get(key, key) for key in keys or ())
